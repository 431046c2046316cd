"""A compiled yes/no check for the JSON Schema keywords Kubernetes and CRD schemas use.

Most objects are valid, and jsonschema's general machinery is slow on them (pods reach a
hundred `$defs`). A schema is compiled once into closures that only answer "valid?"; the
built-in backend asks jsonschema for the errors only when this says no, so both give the same
verdict and jsonschema stays the reference for messages. A schema using any keyword this
module does not implement (draft 2020-12 semantics, no format assertion) compiles to None and
is always checked by jsonschema.

A subschema is compiled when a value first reaches it (`lazy`): objects use few of the fields
their kind declares (a pod spec hundreds), so compiling all of them up front cost more than
checking. A keyword met that way and not implemented raises Unsupported during the check: the
caller then asks jsonschema, as for a schema that failed to compile whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any], bool]

ANNOTATIONS = frozenset(
    ("$schema", "$id", "$comment", "$defs", "description", "title", "default", "example",
     "examples", "format", "deprecated", "readOnly", "writeOnly")
)  # fmt: skip
_JSON_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
}


class Unsupported(Exception):
    """The schema uses a keyword this compiler does not implement."""


def compile_check(schema: Mapping[str, Any] | bool, *, lazy: bool = True) -> Check | None:
    """The yes/no check of a standalone schema (local `#/$defs/...` refs only), or None. With
    `lazy`, the check may raise Unsupported on reaching an unimplemented part of the schema."""
    definitions = schema.get("$defs", {}) if isinstance(schema, Mapping) else {}
    try:
        return _Compiler(definitions, lazy).compile(schema)
    except Unsupported:
        return None


class _Compiler:
    def __init__(self, definitions: Mapping[str, Any], lazy: bool = True) -> None:
        self.definitions = definitions
        self.lazy = lazy
        self.compiled: dict[str, Check] = {}
        self.compiling: set[str] = set()

    def later(self, schema: Mapping[str, Any] | bool) -> Callable[[], Check]:
        """The check of `schema`, compiled on the first call (at once unless lazy)."""
        done: list[Check] = [] if self.lazy else [self.compile(schema)]

        def get() -> Check:
            if not done:
                done.append(self.compile(schema))
            return done[0]

        return get

    def compile(self, schema: Mapping[str, Any] | bool) -> Check:
        if isinstance(schema, bool):
            return _always if schema else _never
        checks = [self._keyword(key, value, schema) for key, value in schema.items()]
        active = [check for check in checks if check is not None]
        if len(active) == 1:
            return active[0]
        return lambda value: all(check(value) for check in active)

    def _keyword(self, key: str, value: Any, schema: Mapping[str, Any]) -> Check | None:
        if key in ANNOTATIONS or key.startswith("x-"):
            return None
        builder = _KEYWORDS.get(key)
        if builder is None:
            raise Unsupported(key)
        return builder(self, value, schema)

    def ref(self, target: str) -> Check:
        if not target.startswith("#/$defs/") or target[8:] not in self.definitions:
            raise Unsupported(f"$ref {target}")
        name = target[8:]
        if name not in self.compiled and name not in self.compiling:
            self.compiling.add(name)  # recursive definitions see the late-bound lookup below
            self.compiled[name] = self.compile(self.definitions[name])
        compiled = self.compiled
        return lambda value: compiled[name](value)


def _always(value: Any) -> bool:
    return True


def _never(value: Any) -> bool:
    return False


def _type(compiler: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    names = [value] if isinstance(value, str) else list(value)
    if not all(name in _JSON_TYPES for name in names):
        raise Unsupported(f"type {value}")
    tests = [_JSON_TYPES[name] for name in names]
    return lambda v: any(test(v) for test in tests)


def _properties(compiler: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    checks = {} if compiler.lazy else {name: compiler.compile(sub) for name, sub in value.items()}

    def check(v: Any) -> bool:
        if not isinstance(v, dict):
            return True
        for key, item in v.items():
            found = checks.get(key)
            if found is None:
                if key not in value:
                    continue
                found = checks[key] = compiler.compile(value[key])
            if not found(item):
                return False
        return True

    return check


def _pattern_properties(compiler: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    checks = [(re.compile(p), compiler.compile(sub)) for p, sub in value.items()]

    def check(v: Any) -> bool:
        if not isinstance(v, dict):
            return True
        return all(c(item) for k, item in v.items() for p, c in checks if p.search(k))

    return check


def _additional_properties(compiler: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    known = frozenset(schema.get("properties", {}))
    patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
    extra = compiler.later(value)

    def check(v: Any) -> bool:
        if not isinstance(v, dict):
            return True
        for key, item in v.items():
            if key in known or (patterns and any(p.search(key) for p in patterns)):
                continue
            if not extra()(item):
                return False
        return True

    return check


def _required(compiler: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    names = list(value)
    return lambda v: not isinstance(v, dict) or all(name in v for name in names)


def _items(compiler: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    if "prefixItems" in schema:
        raise Unsupported("prefixItems")
    each = compiler.later(value)

    def check(v: Any) -> bool:
        if not isinstance(v, list) or not v:
            return True
        item_check = each()
        return all(item_check(item) for item in v)

    return check


def _enum(compiler: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    allowed = [_canonical(item) for item in value]
    return lambda v: _canonical(v) in allowed


def _const(compiler: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    expected = _canonical(value)
    return lambda v: _canonical(v) == expected


def _one_of(compiler: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    checks = [compiler.compile(sub) for sub in value]
    return lambda v: sum(1 for check in checks if check(v)) == 1


def _any_of(compiler: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    checks = [compiler.compile(sub) for sub in value]
    return lambda v: any(check(v) for check in checks)


def _all_of(compiler: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    checks = [compiler.compile(sub) for sub in value]
    return lambda v: all(check(v) for check in checks)


def _not(compiler: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    check = compiler.compile(value)
    return lambda v: not check(v)


def _ref(compiler: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    return compiler.ref(str(value))


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _bound(test: Callable[[Any, Any], bool], applies: Callable[[Any], bool]) -> Any:
    def build(compiler: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
        return lambda v: not applies(v) or test(v, value)

    return build


def _is_string(v: Any) -> bool:
    return isinstance(v, str)


def _is_array(v: Any) -> bool:
    return isinstance(v, list)


def _is_object(v: Any) -> bool:
    return isinstance(v, dict)


def _pattern(compiler: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    compiled = re.compile(value)
    return lambda v: not isinstance(v, str) or compiled.search(v) is not None


def _unique_items(compiler: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check | None:
    if not value:
        return None

    def check(v: Any) -> bool:
        if not isinstance(v, list):
            return True
        keys = [_canonical(item) for item in v]
        return len(set(keys)) == len(keys)

    return check


def _canonical(value: Any) -> str:
    """JSON equality as JSON Schema defines it: 1 == 1.0, but true != 1."""
    return json.dumps(_normalise(value), sort_keys=True)


def _normalise(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


_KEYWORDS: dict[str, Callable[[_Compiler, Any, Mapping[str, Any]], Check | None]] = {
    "type": _type,
    "properties": _properties,
    "patternProperties": _pattern_properties,
    "additionalProperties": _additional_properties,
    "required": _required,
    "items": _items,
    "enum": _enum,
    "const": _const,
    "oneOf": _one_of,
    "anyOf": _any_of,
    "allOf": _all_of,
    "not": _not,
    "$ref": _ref,
    "pattern": _pattern,
    "uniqueItems": _unique_items,
    "minimum": _bound(lambda v, b: v >= b, _is_number),
    "maximum": _bound(lambda v, b: v <= b, _is_number),
    "exclusiveMinimum": _bound(lambda v, b: v > b, _is_number),
    "exclusiveMaximum": _bound(lambda v, b: v < b, _is_number),
    "minLength": _bound(lambda v, b: len(v) >= b, _is_string),
    "maxLength": _bound(lambda v, b: len(v) <= b, _is_string),
    "minItems": _bound(lambda v, b: len(v) >= b, _is_array),
    "maxItems": _bound(lambda v, b: len(v) <= b, _is_array),
    "minProperties": _bound(lambda v, b: len(v) >= b, _is_object),
    "maxProperties": _bound(lambda v, b: len(v) <= b, _is_object),
}
