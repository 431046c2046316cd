"""The ModelService v1 JSON Schema (package data) and validation of loaded documents against it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators
from jsonschema.protocols import Validator

from chartgen import catalog
from chartgen.findings import Finding, spec_problem
from chartgen.spec.positions import PositionMap
from chartgen.spec.schema_messages import describe

SCHEMA_RESOURCE = "modelservice-v1.schema.json"
API_VERSION = "chartgen/v1"
KIND = "ModelService"


@cache
def schema_text() -> str:
    """The schema as `chartgen schema` prints it: the shipped file with the catalog's runtimes and
    platforms (the same text as long as schemas/ is regenerated after adding a catalog file)."""
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


@cache
def schema() -> dict[str, Any]:
    shipped = files("chartgen._schemas").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(shipped)
    spec = loaded["properties"]["spec"]["properties"]
    for field, names in (
        ("runtime", catalog.runtime_names()),
        ("platform", catalog.platform_names()),
    ):
        listed = [name for name in spec[field]["enum"] if name in names]
        spec[field]["enum"] = listed + sorted(set(names) - set(listed))
    return loaded


def schema_id() -> str:
    return str(schema()["$id"])


def _anchored_pattern(
    validator: Validator, pattern: str, instance: Any, subschema: dict[str, Any]
) -> Iterator[ValidationError]:
    # Python's `$` also matches before a final newline; ECMA-262 (the schema's dialect) does not.
    if not isinstance(instance, str):
        return
    trailing_newline = pattern.endswith("$") and instance.endswith("\n")
    if trailing_newline or not re.search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def validator() -> Validator:
    """Compiled once per process."""
    extend: Any = validators.extend  # untyped in jsonschema
    checker = extend(Draft202012Validator, {"pattern": _anchored_pattern})
    compiled: Validator = checker(schema())
    return compiled


def schema_problems(data: Any, positions: PositionMap) -> list[Finding]:
    """Every schema violation of one document (only the envelope's if apiVersion/kind are wrong)."""
    envelope = _envelope_problems(data, positions)
    if envelope:
        return envelope
    described = {found for error in validator().iter_errors(data) for found in describe(error)}
    return [spec_problem(message, positions.location_of(path), path) for path, message in described]


def _envelope_problems(data: Any, positions: PositionMap) -> list[Finding]:
    problems: list[Finding] = []
    for key, expected in (("apiVersion", API_VERSION), ("kind", KIND)):
        found = data.get(key) if isinstance(data, dict) else None
        if found is None or found == expected:
            continue  # a missing key is reported by the schema's `required`
        message = f"unsupported {key} {found!r}: the supported {key} is {expected!r}"
        problems.append(spec_problem(message, positions.location_of(f"$.{key}"), f"$.{key}"))
    return problems
