"""CustomResourceDefinitions as schema sources: bundled upstream, `--crd` files, chart `crds/`."""

from __future__ import annotations

import copy
import functools
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from chartgen.errors import Location, UserError

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:  # pragma: no cover
    from importlib.abc import Traversable

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

BUNDLED_PACKAGE = "chartgen._schemas"
CRD_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class CrdVersion:
    """One served version of a custom resource and its OpenAPI schema (None: none declared)."""

    group: str
    version: str
    kind: str
    declared: Any  # spec.versions[].schema.openAPIV3Schema as written (legacy spec.validation)
    source: str

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}"

    @functools.cached_property
    def openapi(self) -> Mapping[str, Any] | None:
        """The schema the API server validates with; None when none is declared or it is not
        structural. Worked out on first use: most CRDs a chart installs (an operator's fifty)
        validate no object of the lint, only the CRD objects themselves are checked."""
        declared = self.declared
        return (
            without_nulls(declared) if isinstance(declared, dict) and structural(declared) else None
        )


def crd_versions(document: Mapping[str, Any], source: str) -> list[CrdVersion]:
    """The versions of one CustomResourceDefinition (v1, or legacy v1beta1 `spec.validation`)."""
    spec = document.get("spec")
    if document.get("kind") != "CustomResourceDefinition" or not isinstance(spec, dict):
        return []
    group, kind = str(spec.get("group") or ""), str(_map(spec.get("names")).get("kind") or "")
    legacy = _map(spec.get("validation")).get("openAPIV3Schema")
    found = []
    for entry in _declared_versions(spec):
        openapi = _map(entry.get("schema")).get("openAPIV3Schema") or legacy
        found.append(CrdVersion(group, str(entry.get("name")), kind, openapi, source))
    return found


def pruned_nulls(value: Any) -> Any:
    """A custom resource as the API server validates it: fields whose value is null are pruned
    first (structural schemas; 'null values for fields that either don't specify the nullable
    flag, or give it a false value, will be pruned before defaulting happens',
    kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/
    #defaulting-and-nullable). List items are kept: a null item is still invalid."""
    if isinstance(value, dict):
        return {k: pruned_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [pruned_nulls(item) for item in value]
    return value


def defaulted(value: Any, schema: Mapping[str, Any]) -> Any:
    """A custom resource with its schema's defaults filled in, as the API server does before it
    validates ('defaulting happens on the object ... when reading from etcd, when creating and
    updating', kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/
    custom-resource-definitions/#defaulting). Only an object's declared properties, its map
    values and list items are descended, as in structural schemas."""
    if isinstance(value, dict):
        properties = _map(schema.get("properties"))
        filled = {
            key: defaulted(item, _map(properties.get(key) or schema.get("additionalProperties")))
            for key, item in value.items()
        }
        for key, sub in properties.items():
            if key not in filled and isinstance(sub, dict) and "default" in sub:
                filled[key] = defaulted(copy.deepcopy(sub["default"]), sub)
        return filled
    if isinstance(value, list):
        items = _map(schema.get("items"))
        return [defaulted(item, items) for item in value]
    return value


def has_null_field(value: Any) -> bool:
    if isinstance(value, dict):
        return any(v is None or has_null_field(v) for v in value.values())
    if isinstance(value, list):
        return any(has_null_field(item) for item in value)
    return False


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


_TYPES = frozenset({"object", "array", "string", "integer", "number", "boolean"})
_SCHEMA_MAPS = ("properties", "patternProperties", "definitions", "dependencies")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")


def structural(schema: Mapping[str, Any]) -> bool:
    """Whether a CRD schema has the shape the API server accepts (maps of schemas where maps
    belong, known types); one that does not validates nothing rather than crash the validator.
    The CRD object itself still gets its schema findings."""
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            return False
        kind = node.get("type")
        if kind is not None and (not isinstance(kind, str) or kind not in _TYPES):
            return False
        for key in _SCHEMA_MAPS:
            members = node.get(key)
            if members is not None:
                if not isinstance(members, dict):
                    return False
                stack.extend(v for v in members.values() if not isinstance(v, list))
        for key in _SCHEMA_LISTS:
            members = node.get(key)
            if members is not None:
                if not isinstance(members, list):
                    return False
                stack.extend(members)
        for key in ("items", "not", "additionalProperties", "additionalItems"):
            member = node.get(key)
            if isinstance(member, list) and key == "items":
                stack.extend(member)
            elif member is not None and not isinstance(member, bool):
                stack.append(member)
    return True


def without_nulls(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The schema as the API server decodes it: a keyword set to null is absent (openshift/api's
    Route CRD has `anyOf: null`); a null member of a map of schemas accepts anything."""
    cleaned: dict[str, Any] = {}
    for key, value in schema.items():
        if value is None:
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            value = {
                name: without_nulls(member) if isinstance(member, dict) else member
                for name, member in ((n, {} if m is None else m) for n, m in value.items())
            }
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            value = [without_nulls(m) if isinstance(m, dict) else m for m in value]
        elif isinstance(value, dict) and key in _SCHEMA_MEMBERS:
            value = without_nulls(value)
        elif key == "items" and isinstance(value, list):
            value = [without_nulls(m) if isinstance(m, dict) else m for m in value]
        cleaned[key] = value
    return cleaned


_SCHEMA_MEMBERS = ("items", "not", "additionalProperties", "additionalItems")


def _declared_versions(spec: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    versions = spec.get("versions")
    if isinstance(versions, list) and versions:
        return [v for v in versions if isinstance(v, dict) and v.get("name")]
    return [{"name": spec["version"]}] if spec.get("version") else []


def crds_in_documents(documents: Iterable[Any], source: str) -> list[CrdVersion]:
    """CRDs in parsed YAML documents, `kind: List` items included."""
    found: list[CrdVersion] = []
    for document in documents:
        if not isinstance(document, dict):
            continue
        items = document.get("items") if document.get("kind") == "List" else [document]
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict):
                found.extend(crd_versions(item, source))
    return found


def parse_crd_text(text: str, source: str) -> list[CrdVersion]:
    from chartgen.manifests import ManifestParseError, load_all

    try:
        documents = [data for data, _ in load_all(text, source)]
    except ManifestParseError as exc:
        raise UserError(f"CRD file: {exc.message}", Location(source, exc.line)) from None
    return crds_in_documents(documents, source)


def load_crd_paths(paths: Sequence[Path]) -> list[CrdVersion]:
    """Every CRD in the given files and (recursively) directories; a path with none is an error."""
    found: list[CrdVersion] = []
    for path in paths:
        files = (
            sorted(p for p in path.rglob("*") if p.suffix in CRD_SUFFIXES)
            if path.is_dir()
            else [path]
        )
        from_path = [crd for file in files for crd in parse_crd_text(_read(file), str(file))]
        if not from_path:
            raise UserError(f"{path}: no CustomResourceDefinition found")
        found.extend(from_path)
    return found


def _read(path: Path) -> str:
    from chartgen.limits import read_input_text

    return read_input_text(path, shown=f"CRD file {path}")


def bundled_root() -> Traversable:
    return resources.files(BUNDLED_PACKAGE) / "crds"


@functools.cache
def bundled_groups() -> tuple[str, ...]:
    root = bundled_root()
    return (
        tuple(sorted(entry.name for entry in root.iterdir() if entry.is_dir()))
        if root.is_dir()
        else ()
    )


@functools.cache
def bundled_crds(group: str) -> tuple[CrdVersion, ...]:
    """The bundled upstream CRDs of one API group, parsed on first use only."""
    if group not in bundled_groups():
        return ()
    folder = bundled_root() / group
    files = sorted(
        (entry for entry in folder.iterdir() if entry.name.endswith(CRD_SUFFIXES)), key=_name
    )
    return tuple(crd for entry in files for crd in _bundled_file(entry))


def _bundled_file(entry: Traversable) -> list[CrdVersion]:
    """One bundled file; the trimmed ones (tools/crds/sync.py) are JSON lines under a comment,
    read as JSON: a flow-style YAML parse of them takes seconds."""
    text = entry.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    if lines and all(line.startswith("{") or line == "---" for line in lines):
        documents = [json.loads(line) for line in lines if line != "---"]
        return crds_in_documents(documents, entry.name)
    return parse_crd_text(text, entry.name)


def _name(entry: Traversable) -> str:
    return entry.name


def all_bundled_crds() -> list[CrdVersion]:
    return [crd for group in bundled_groups() for crd in bundled_crds(group)]
