"""Credentials stored in a ConfigMap."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.manifests import escape_pointer
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, mapping
from chartgen.rules.support.secrets import holds_secret, looks_like_token

ID = "ml-secret-in-configmap"
SEVERITY = Severity.ERROR
SUMMARY = "Tokens and API keys must not be stored in ConfigMaps"
RATIONALE = (
    "ConfigMaps are readable by anyone who can read the namespace's configuration and are not "
    "encrypted at rest. Charts that feed runtime env from a ConfigMap (`envFrom: configMapRef`) put "
    "HF_TOKEN or NGC_API_KEY there (opea-project/GenAIInfra helm-charts/common/tgi/templates/configmap.yaml sets HF_TOKEN); Polaris "
    "`sensitiveConfigmapContent` only matches key names."
)
REFERENCES = ("https://kubernetes.io/docs/concepts/configuration/configmap/",)
FIX = (
    "Move the credential into a Secret and reference it with `secretKeyRef` or `envFrom.secretRef`."
)
EXAMPLE = """\
kind: Secret
type: Opaque
stringData:
  HF_TOKEN: ...
"""
TAGS = ("kubernetes", "ml", "security")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for config_map in objects.of_kind("ConfigMap"):
        for key, value in mapping(config_map.data.get("data")).items():
            text = str(value)
            multi_line = "\n" in text
            if (multi_line and looks_like_token(text)) or (
                not multi_line and holds_secret(str(key), text)
            ):
                message = f"ConfigMap key {key!r} holds a credential"
                yield Issue(ID, f"/data/{escape_pointer(str(key))}", message, obj=config_map)
