"""The built-in backend: jsonschema (draft 2020-12) against the standalone schemas, no network.

jsonschema is imported only when an object fails the compiled check (for the messages).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from chartgen.manifests import ManifestObject
from chartgen.validate.fastcheck import Check, Unsupported, compile_check
from chartgen.validate.issues import (
    RULE_SCHEMA_INVALID,
    Issue,
    escape_token,
    missing_schema,
    unknown_field,
)
from chartgen.validate.store import SchemaStore

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError

_MAX_MESSAGE = 300


class BuiltinBackend:
    name = "builtin"

    def __init__(self, store: SchemaStore) -> None:
        self.store = store
        self._validators: dict[tuple[str, str], Draft202012Validator | None] = {}
        self._fast: dict[tuple[str, str], Check | None] = {}

    def check(self, objects: Sequence[ManifestObject]) -> list[list[Issue]]:
        return [self.check_object(obj) for obj in objects]

    def check_object(self, obj: ManifestObject) -> list[Issue]:
        if self.store.lookup(obj.api_version, obj.kind) is None:
            return [missing_schema(obj.api_version, obj.kind, self.store.version.minor_version)]
        if self._fast_valid(obj):
            return []
        validator = self._validator(obj.api_version, obj.kind)
        assert validator is not None  # the schema exists
        return [
            issue for error in validator.iter_errors(obj.data) for issue in issues_from_error(error)
        ]

    def _fast_valid(self, obj: ManifestObject) -> bool:
        """The compiled check's yes; no, or not implemented for a part of the schema the object
        reaches (that kind then always asks jsonschema), leaves the verdict to jsonschema."""
        fast = self._fast_check(obj.api_version, obj.kind)
        if fast is None:
            return False
        try:
            return fast(obj.data)
        except Unsupported:
            self._fast[(obj.api_version, obj.kind)] = None
            return False

    def _fast_check(self, api_version: str, kind: str) -> Check | None:
        """Compiled yes/no check: jsonschema only runs (for the messages) when it says no."""
        key = (api_version, kind)
        if key not in self._fast:
            schema = self.store.lookup(api_version, kind)
            self._fast[key] = None if schema is None else compile_check(schema)
        return self._fast[key]

    def _validator(self, api_version: str, kind: str) -> Draft202012Validator | None:
        key = (api_version, kind)
        if key not in self._validators:
            from jsonschema import Draft202012Validator
            from referencing import Registry

            schema = self.store.lookup(api_version, kind)
            no_retrieval: Registry[Any] = Registry()  # every ref is local: never fetch anything
            self._validators[key] = (
                None if schema is None else Draft202012Validator(schema, registry=no_retrieval)
            )
        return self._validators[key]


def issues_from_error(error: ValidationError) -> list[Issue]:
    pointer = "".join(f"/{escape_token(str(token))}" for token in error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        extras = unexpected_fields(error.instance, error.schema)
        if extras:
            return [unknown_field(pointer, field) for field in extras]
    return [Issue(RULE_SCHEMA_INVALID, pointer, describe(error))]


def unexpected_fields(instance: dict[str, Any], schema: Any) -> list[str]:
    if not isinstance(schema, dict):
        return []
    known = schema.get("properties") or {}
    patterns = [re.compile(p) for p in schema.get("patternProperties") or {}]
    return [
        str(k) for k in instance if k not in known and not any(p.search(str(k)) for p in patterns)
    ]


def describe(error: ValidationError) -> str:
    """A short message: jsonschema's own repeats the whole instance, which can be huge."""
    formatter = _DESCRIBERS.get(str(error.validator))
    message = formatter(error) if formatter else str(error.message)
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 3] + "..."


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "boolean",
        int: "integer",
        float: "number",
        str: "string",
        list: "array",
        dict: "object",
    }.get(type(value), type(value).__name__)


def _short(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _types(expected: Any) -> str:
    names = [expected] if isinstance(expected, str) else [str(t) for t in expected if t != "null"]
    return " or ".join(names)


def _describe_type(error: ValidationError) -> str:
    got = f"{_json_type(error.instance)} {_short(error.instance)}"
    return f"expected {_types(error.validator_value)}, got {got}"


def _describe_enum(error: ValidationError) -> str:
    values = error.validator_value if isinstance(error.validator_value, list) else []
    allowed = ", ".join(_short(v) for v in values if v is not None)
    return f"{_short(error.instance)} is not one of: {allowed}"


def _describe_alternatives(error: ValidationError) -> str:
    causes = list(error.context) if isinstance(error.context, list) else []
    if causes and all(cause.validator == "type" for cause in causes):
        expected = " or ".join(_types(cause.validator_value) for cause in causes)
        return f"expected {expected}, got {_json_type(error.instance)} {_short(error.instance)}"
    return f"{_short(error.instance)} does not match any of the allowed schemas"


def _describe_required(error: ValidationError) -> str:
    return str(error.message).replace(" is a required property", " is required")


_DESCRIBERS: dict[str, Callable[[ValidationError], str]] = {
    "type": _describe_type,
    "enum": _describe_enum,
    "oneOf": _describe_alternatives,
    "anyOf": _describe_alternatives,
    "required": _describe_required,
}
