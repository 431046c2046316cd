"""Credentials (HF_TOKEN, API keys) as literal env values."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet
from chartgen.rules.support.secrets import holds_secret

ID = "ml-secret-in-env"
SEVERITY = Severity.ERROR
SUMMARY = "Tokens and API keys must come from a Secret, not a literal env value"
RATIONALE = (
    "A literal `value:` puts the credential in the chart's values, the rendered manifest, `helm get "
    "values`, the release Secret and every `kubectl get -o yaml`. ML credentials are missed by "
    "generic checks: kube-linter's default `(?i).*secret.*` does not match `HF_TOKEN`, and no tool "
    "looks at token-shaped values (`hf_...`, `sk-...`, `nvapi-...`)."
)
REFERENCES = (
    "https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables",
    "stackrox/kube-linter#487",
)
FIX = "Store the token in a Secret and reference it with `valueFrom.secretKeyRef`."
EXAMPLE = """\
env:
  - name: HF_TOKEN
    valueFrom:
      secretKeyRef:
        name: hf-token
        key: token
"""
TAGS = ("kubernetes", "ml", "security")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload, container in objects.containers():
        for index, item in container.env:
            name, value = str(item.get("name") or ""), item.get("value")
            if value is not None and holds_secret(name, str(value)):
                message = f"container {container.name!r} sets {name} to a literal credential"
                yield Issue(ID, f"{container.pointer}/env/{index}/value", message, obj=workload.obj)
