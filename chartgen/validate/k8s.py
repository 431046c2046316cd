"""Built-in Kubernetes schemas: kubernetes-validate's `-local[-strict]` folders, read as data."""

from __future__ import annotations

import functools
import json
from typing import Any

from chartgen.validate.naming import builtin_schema_name, safe_tokens, split_api_version
from chartgen.validate.standalone import standalone
from chartgen.validate.versions import KubeVersion, schema_folder

DEFINITIONS_FILE = "_definitions.json"


@functools.cache
def definitions(version: KubeVersion, strict: bool) -> dict[str, Any]:
    """The shared `$defs` every kind of this version refers to (loaded once per run)."""
    text = (schema_folder(version, strict) / DEFINITIONS_FILE).read_text(encoding="utf-8")
    defs: dict[str, Any] = json.loads(text)["$defs"]
    return defs


@functools.cache
def builtin_schema(
    version: KubeVersion, strict: bool, api_version: str, kind: str
) -> dict[str, Any] | None:
    """The standalone schema of a built-in kind, or None when this version has no such kind.
    The file is looked up in the folder's listing: a kind is never joined into a path."""
    group, api = split_api_version(api_version)
    if not safe_tokens(group, api, kind):
        return None
    name = builtin_schema_name(api_version, kind)
    if name not in schema_names(version, strict):
        return None
    entry = schema_folder(version, strict) / name
    schema: dict[str, Any] = json.loads(entry.read_text(encoding="utf-8"))
    if not declares(schema, api_version, kind):
        return None
    return standalone(schema, definitions(version, strict))


@functools.cache
def schema_names(version: KubeVersion, strict: bool) -> frozenset[str]:
    return frozenset(entry.name for entry in schema_folder(version, strict).iterdir())


def declares(schema: dict[str, Any], api_version: str, kind: str) -> bool:
    """File names only keep the group's first label: check the full group/version/kind."""
    group, version = split_api_version(api_version)
    declared = schema.get("x-kubernetes-group-version-kind") or []
    return any(
        gvk.get("group", "") == group and gvk.get("version") == version and gvk.get("kind") == kind
        for gvk in declared
    )


def resource_schema_names(version: KubeVersion, strict: bool) -> list[str]:
    """File names of every top-level kind (an object with apiVersion and kind) of a version."""
    names = []
    for entry in schema_folder(version, strict).iterdir():
        if entry.name.startswith("_") or not entry.name.endswith(".json"):
            continue
        schema = json.loads(entry.read_text(encoding="utf-8"))
        properties = schema.get("properties") or {}
        if (
            "apiVersion" in properties
            and "kind" in properties
            and schema.get("x-kubernetes-group-version-kind")
        ):
            names.append(entry.name)
    return sorted(names)


def load_schema_file(version: KubeVersion, strict: bool, name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        (schema_folder(version, strict) / name).read_text(encoding="utf-8")
    )
    return schema
