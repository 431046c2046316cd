"""CRD `openAPIV3Schema` -> JSON Schema (draft 2020-12), by kubeconform's openapi2jsonschema rules.

One converter for the bundled CRDs and the user's `--crd` files:
- strict: `additionalProperties: false` on every object schema with `properties` (kubectl's
  behaviour), including the root (openapi2jsonschema's DENY_ROOT_ADDITIONAL_PROPERTIES), except
  where `x-kubernetes-preserve-unknown-fields: true` keeps unknown fields; never inside
  `allOf`/`anyOf`/`oneOf`/`not`, whose properties only restate the structural schema's;
- `format: int-or-string` -> `oneOf: [string, integer]`; `x-kubernetes-int-or-string` alone too;
- `nullable: true` -> the type also accepts null;
- OpenAPI 3.0 boolean `exclusiveMinimum`/`exclusiveMaximum` -> 2020-12 numeric form;
- `x-kubernetes-embedded-resource` objects accept apiVersion, kind and metadata;
- the root `metadata` is checked against Kubernetes' ObjectMeta, as the API server does;
- a `required` property that has a `default` is not required: the API server applies structural
  schema defaults while decoding, before validation (KEP-575,
  https://www.kubernetes.dev/resources/keps/575/; kubernetes.io/docs/tasks/extend-kubernetes/
  custom-resources/custom-resource-definitions/#defaulting), so it is never missing;
- `pattern`s are Go (RE2) regexps: inline flags like `^(?i)(a|b)$` become the scoped form
  `^(?i:(a|b)$)` both engines read alike; a pattern Python cannot compile is dropped, for both
  backends, rather than crash or disagree.
"""

from __future__ import annotations

import re
from typing import Any

from chartgen.validate.standalone import DEFINITIONS_URI

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
OBJECT_META_REF = f"{DEFINITIONS_URI}#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
INT_OR_STRING = {"oneOf": [{"type": "string"}, {"type": "integer"}]}
_SCHEMA_MAPS = ("properties", "patternProperties", "definitions", "$defs")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_SCHEMA_VALUES = ("items", "additionalProperties", "not", "additionalItems")
_JUNCTORS = frozenset(("allOf", "anyOf", "oneOf", "not"))
_INLINE_FLAGS_RE = re.compile(r"\(\?([ims]+)\)")
_ROOT_FIELDS = {"apiVersion": {"type": "string"}, "kind": {"type": "string"}}
_EMBEDDED_FIELDS = {
    "apiVersion": {"type": "string"},
    "kind": {"type": "string"},
    "metadata": {"type": "object"},
}


def crd_json_schema(openapi: dict[str, Any], *, strict: bool) -> dict[str, Any]:
    """JSON Schema of a CRD version's `openAPIV3Schema` (refs ObjectMeta: make it standalone).

    Every custom resource has apiVersion, kind and metadata, declared in its schema or not.
    """
    converted = convert(openapi, strict=strict)
    declared = converted.get("properties")
    properties = {**_ROOT_FIELDS, **(declared if isinstance(declared, dict) else {})}
    converted["properties"] = _with_object_meta(properties, openapi, strict)
    return {"$schema": DRAFT_2020_12, **converted}


def convert(node: dict[str, Any], *, strict: bool, in_junctor: bool = False) -> dict[str, Any]:
    if node.get("format") == "int-or-string":
        return dict(INT_OR_STRING)
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key == "nullable":
            continue
        result[key] = _convert_value(key, value, strict=strict, in_junctor=in_junctor)
    _apply_pattern(result)
    _apply_nullable(node, result)
    _apply_exclusive_bounds(result)
    _apply_int_or_string(result)
    _apply_embedded_resource(result)
    if not in_junctor:
        _apply_defaults(node, result)
    if strict and not in_junctor and _closes_unknown_fields(result):
        result["additionalProperties"] = False
    return result


def _convert_value(key: str, value: Any, *, strict: bool, in_junctor: bool) -> Any:
    junctor = in_junctor or key in _JUNCTORS
    if key in _SCHEMA_MAPS and isinstance(value, dict):
        return {name: _schema(sub, strict, junctor) for name, sub in value.items()}
    if key in _SCHEMA_LISTS and isinstance(value, list):
        return [_schema(sub, strict, junctor) for sub in value]
    if key in _SCHEMA_VALUES:
        return _schema(value, strict, junctor)
    return value


def _schema(value: Any, strict: bool, in_junctor: bool) -> Any:
    return (
        convert(value, strict=strict, in_junctor=in_junctor) if isinstance(value, dict) else value
    )


def _closes_unknown_fields(schema: dict[str, Any]) -> bool:
    return (
        "properties" in schema
        and "additionalProperties" not in schema
        and not schema.get("x-kubernetes-preserve-unknown-fields")
    )


def _apply_pattern(result: dict[str, Any]) -> None:
    pattern = result.get("pattern")
    if not isinstance(pattern, str):
        return
    portable = scoped_inline_flags(pattern).replace("\\z", "\\Z")
    try:
        re.compile(portable)
    except re.error:
        del result["pattern"]
        return
    result["pattern"] = portable


def scoped_inline_flags(pattern: str) -> str:
    """RE2 flags set mid-pattern apply to the rest of their group: `a(?i)b)` -> `a(?i:b))`."""
    match = _INLINE_FLAGS_RE.search(pattern, 1)
    if not match:
        return pattern
    end = _group_end(pattern, match.end())
    inner = scoped_inline_flags(pattern[match.end() : end])
    rest = scoped_inline_flags(pattern[end:]) if end < len(pattern) else ""
    return f"{pattern[: match.start()]}(?{match.group(1)}:{inner}){rest}"


def _group_end(pattern: str, start: int) -> int:
    """Index of the `)` closing the group that contains `start` (or the pattern's end)."""
    depth, index, in_class = 0, start, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class or char == "[":
            in_class = char != "]" if in_class else True
        elif char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return index
            depth -= 1
        index += 1
    return len(pattern)


def _apply_nullable(source: dict[str, Any], result: dict[str, Any]) -> None:
    kind = result.get("type")
    if source.get("nullable") is True and isinstance(kind, str) and kind != "null":
        result["type"] = [kind, "null"]


def _apply_exclusive_bounds(result: dict[str, Any]) -> None:
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag = result.get(exclusive)
        if isinstance(flag, bool):
            del result[exclusive]
            if flag and bound in result:
                result[exclusive] = result.pop(bound)


def _apply_int_or_string(result: dict[str, Any]) -> None:
    if result.get("x-kubernetes-int-or-string") and not any(k in result for k in _SCHEMA_LISTS):
        result.pop("type", None)
        result.update(INT_OR_STRING)


def _apply_defaults(source: dict[str, Any], result: dict[str, Any]) -> None:
    required, properties = result.get("required"), source.get("properties")
    if not isinstance(required, list) or not isinstance(properties, dict):
        return
    defaulted = {
        name for name, sub in properties.items() if isinstance(sub, dict) and "default" in sub
    }
    kept = [name for name in required if name not in defaulted]
    if len(kept) == len(required):
        return
    if kept:
        result["required"] = kept
    else:
        del result["required"]


def _apply_embedded_resource(result: dict[str, Any]) -> None:
    if result.get("x-kubernetes-embedded-resource") and isinstance(result.get("properties"), dict):
        result["properties"] = {**_EMBEDDED_FIELDS, **result["properties"]}


def _with_object_meta(
    properties: dict[str, Any], openapi: dict[str, Any], strict: bool
) -> dict[str, Any]:
    declared = (openapi.get("properties") or {}).get("metadata")
    if not isinstance(declared, dict) or "properties" not in declared:
        return {**properties, "metadata": {"$ref": OBJECT_META_REF}}
    # the CRD narrows some metadata fields: keep both, but only ObjectMeta decides unknown fields
    narrowed = convert(declared, strict=strict, in_junctor=True)
    return {**properties, "metadata": {"allOf": [{"$ref": OBJECT_META_REF}, narrowed]}}
