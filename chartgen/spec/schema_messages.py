"""Human messages for JSON Schema errors: what was expected, what was found, and a likely fix."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from jsonschema import ValidationError

from chartgen.spec.positions import child_path, json_path

Described = list[tuple[str, str]]  # (JSON path to point at, message)

_JSON_TYPES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
}
_JSON_TYPES |= {"number": "a number", "boolean": "true or false", "null": "null"}


def describe(error: ValidationError) -> Described:
    path = json_path(error.absolute_path)
    handler = _HANDLERS.get(str(error.validator), _default)
    return handler(error, path)


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def suggestion(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest choice, or an empty string."""
    options = list(choices)
    by_lower = {choice.lower(): choice for choice in options}
    if word.lower() in by_lower:
        return f" (did you mean {by_lower[word.lower()]!r}?)"
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _subschema(error: ValidationError) -> Mapping[str, Any]:
    return error.schema if isinstance(error.schema, Mapping) else {}


def _rule(error: ValidationError) -> Any:
    """The keyword's value in the schema (the list of an enum, the bound of a minimum ...)."""
    return error.validator_value


def _instance(error: ValidationError) -> Any:
    return error.instance


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _additional(error: ValidationError, path: str) -> Described:
    allowed = sorted(_subschema(error).get("properties", {}))
    instance = _instance(error) if isinstance(_instance(error), dict) else {}
    described: Described = []
    for key in instance:
        if key in allowed:
            continue
        hint = suggestion(key, allowed) or f" (allowed: {', '.join(allowed)})"
        described.append((child_path(path, key), f"unknown key {key!r}{hint}"))
    return described


def _required(error: ValidationError, path: str) -> Described:
    instance = _instance(error) if isinstance(_instance(error), dict) else {}
    missing = [key for key in _rule(error) if key not in instance]
    return [(path, f"missing required key {key!r}") for key in missing]


def _type(error: ValidationError, path: str) -> Described:
    expected = _rule(error)
    names = [expected] if isinstance(expected, str) else list(expected)
    wanted = " or ".join(_JSON_TYPES.get(name, name) for name in names)
    found = json_type(_instance(error))
    message = f"expected {wanted}, got {found}"
    if found not in ("object", "array", "null"):
        message += f" {_short(_instance(error))}"
    if "string" in names and found in ("integer", "number", "boolean"):
        message += " (quote the value to keep it a string)"
    if found == "null":
        message += " (the value is empty)"
    return [(path, message)]


def _enum(error: ValidationError, path: str) -> Described:
    allowed = [str(choice) for choice in _rule(error)]
    hint = suggestion(_instance(error), allowed) if isinstance(_instance(error), str) else ""
    message = f"{_short(_instance(error))} is not one of: {', '.join(allowed)}{hint}"
    return [(path, message)]


def _const(error: ValidationError, path: str) -> Described:
    return [(path, f"must be {_rule(error)!r}, got {_short(_instance(error))}")]


def _pattern(error: ValidationError, path: str) -> Described:
    meaning = str(_subschema(error).get("description", "")).rstrip(".")
    what = f": {meaning[0].lower()}{meaning[1:]}" if meaning else f" (pattern {_rule(error)})"
    if "propertyNames" in error.schema_path:
        return [(path, f"invalid key {_short(_instance(error))}{what}")]
    return [(path, f"{_short(_instance(error))} is not valid{what}")]


def _bound(word: str) -> Callable[[ValidationError, str], Described]:
    def handler(error: ValidationError, path: str) -> Described:
        return [(path, f"must be {word} {_rule(error)}, got {_short(_instance(error))}")]

    return handler


def _length(error: ValidationError, path: str) -> Described:
    limit = _rule(error)
    if error.validator == "minLength" and limit == 1:
        return [(path, "must not be empty")]
    word = "at most" if error.validator == "maxLength" else "at least"
    return [(path, f"must be {word} {limit} characters long, got {len(_instance(error))}")]


def _items_count(error: ValidationError, path: str) -> Described:
    return [(path, f"needs at least {_rule(error)} item(s)")]


def _unique(error: ValidationError, path: str) -> Described:
    return [(path, "list items must be unique")]


def _one_of(error: ValidationError, path: str) -> Described:
    names = [key for option in _rule(error) for key in option.get("required", [])]
    if len(names) == len(_rule(error)):
        return [(path, f"set exactly one of: {', '.join(names)}")]
    return _default(error, path)


def _default(error: ValidationError, path: str) -> Described:
    return [(path, error.message)]


_HANDLERS: dict[str, Callable[[ValidationError, str], Described]] = {
    "additionalProperties": _additional,
    "required": _required,
    "type": _type,
    "enum": _enum,
    "const": _const,
    "pattern": _pattern,
    "minimum": _bound(">="),
    "maximum": _bound("<="),
    "exclusiveMinimum": _bound(">"),
    "exclusiveMaximum": _bound("<"),
    "minLength": _length,
    "maxLength": _length,
    "minItems": _items_count,
    "uniqueItems": _unique,
    "oneOf": _one_of,
}
