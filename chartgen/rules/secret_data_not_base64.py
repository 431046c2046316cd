"""Secret `data` values that are not base64."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.manifests import escape_pointer
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, mapping

ID = "secret-data-not-base64"
SEVERITY = Severity.ERROR
SUMMARY = "Secret `data` values must be base64; plain text belongs in `stringData`"
RATIONALE = (
    "`data` holds base64-encoded bytes (core/v1 Secret: 'The serialized form of the secret data is "
    "a base64 encoded string'); the API server decodes each value while reading the request and "
    "rejects the whole object with 'illegal base64 data at input byte N' when one does not decode. "
    "A chart that writes a token or password into `data` without `b64enc` renders fine, passes "
    "schema checks that do not test `format: byte`, and fails at install; a value that happens to "
    "decode is silently the wrong secret."
)
REFERENCES = (
    "https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/secret-v1/",
    "https://kubernetes.io/docs/concepts/configuration/secret/#restriction-names-data",
)
FIX = "Encode the value (`{{ .Values.token | b64enc }}`) or put the plain text under `stringData`."
EXAMPLE = """\
kind: Secret
stringData:
  token: {{ .Values.hfToken | quote }}
data:
  password: {{ .Values.password | b64enc | quote }}
"""
TAGS = ("kubernetes", "correctness", "security")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for secret in objects.of_kind("Secret"):
        for key, value in mapping(secret.data.get("data")).items():
            if value is None or _decodes(value):
                continue
            message = f"Secret data {key!r} is not base64: the API server rejects the Secret"
            yield Issue(ID, f"/data/{escape_pointer(str(key))}", message, obj=secret)


def _decodes(value: object) -> bool:
    """Go's base64.StdEncoding, as the API server decodes []byte: padded, standard alphabet;
    it skips \r and \n (a YAML block scalar's line breaks)."""
    if not isinstance(value, str):
        return False
    try:
        base64.b64decode(value.replace("\r", "").replace("\n", ""), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True
