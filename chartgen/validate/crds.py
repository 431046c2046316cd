"""CustomResourceDefinitions as schema sources: bundled upstream, `--crd` files, chart `crds/`."""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from chartgen.errors import UserError

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
    openapi: Mapping[str, Any] | None
    source: str

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}"


def crd_versions(document: Mapping[str, Any], source: str) -> list[CrdVersion]:
    """The versions of one CustomResourceDefinition (v1, or legacy v1beta1 `spec.validation`)."""
    spec = document.get("spec")
    if document.get("kind") != "CustomResourceDefinition" or not isinstance(spec, dict):
        return []
    group, kind = str(spec.get("group") or ""), str((spec.get("names") or {}).get("kind") or "")
    legacy = (spec.get("validation") or {}).get("openAPIV3Schema")
    found = []
    for entry in _declared_versions(spec):
        openapi = (entry.get("schema") or {}).get("openAPIV3Schema") or legacy
        found.append(CrdVersion(group, str(entry.get("name")), kind, openapi, source))
    return found


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
    try:
        return crds_in_documents(yaml.load_all(text, Loader=_Loader), source)
    except yaml.YAMLError as exc:
        raise UserError(f"{source}: invalid YAML in CRD file: {exc}") from exc


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
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot read CRD file {path}: {exc.strerror or exc}") from exc


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
    return tuple(
        crd
        for entry in files
        for crd in parse_crd_text(entry.read_text(encoding="utf-8"), entry.name)
    )


def _name(entry: Traversable) -> str:
    return entry.name


def all_bundled_crds() -> list[CrdVersion]:
    return [crd for group in bundled_groups() for crd in bundled_crds(group)]
