"""Kubernetes versions: parse `--kube-version`, and the versions whose schemas are bundled."""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:  # pragma: no cover
    from importlib.abc import Traversable

from chartgen.errors import UserError

SCHEMA_PACKAGE = "kubernetes_validate"
SCHEMA_FOLDER = "kubernetes-json-schema"
_VERSION_RE = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?$")
_FOLDER_RE = re.compile(r"^v(\d+)\.(\d+)\.0-local$")


@dataclass(frozen=True, order=True)
class KubeVersion:
    """A Kubernetes minor version (schemas exist per minor; the patch is kept for display)."""

    major: int
    minor: int
    patch: int = 0

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    @property
    def minor_version(self) -> str:
        return f"{self.major}.{self.minor}"

    @property
    def schema_version(self) -> str:
        """The `X.Y.0` form kubeconform's `-kubernetes-version` and schema folders use."""
        return f"{self.major}.{self.minor}.0"

    def at_least(self, minor_version: str) -> bool:
        major, minor = (int(part) for part in minor_version.split("."))
        return (self.major, self.minor) >= (major, minor)


@functools.cache
def schema_root() -> Traversable:
    # found, not imported: kubernetes_validate's __init__ imports jsonschema (start-up time)
    spec = importlib.util.find_spec(SCHEMA_PACKAGE)
    folders = list(spec.submodule_search_locations or []) if spec else []
    if folders and (Path(folders[0]) / SCHEMA_FOLDER).is_dir():
        return Path(folders[0]) / SCHEMA_FOLDER
    return resources.files(SCHEMA_PACKAGE) / SCHEMA_FOLDER


def schema_folder(version: KubeVersion, strict: bool) -> Traversable:
    suffix = "-strict" if strict else ""
    return schema_root() / f"v{version.schema_version}-local{suffix}"


@functools.cache
def bundled_versions() -> tuple[KubeVersion, ...]:
    """Every minor version whose Kubernetes schemas ship with kubernetes-validate, oldest first."""
    found = []
    for entry in schema_root().iterdir():
        match = _FOLDER_RE.match(entry.name)
        if match:
            found.append(KubeVersion(int(match.group(1)), int(match.group(2))))
    return tuple(sorted(found))


def newest_bundled() -> KubeVersion:
    return bundled_versions()[-1]


def parse_kube_version(text: str | None) -> KubeVersion:
    """`1.30`, `1.30.2` or `v1.30.0` -> KubeVersion; None -> the newest bundled version."""
    if not text:
        return newest_bundled()
    match = _VERSION_RE.match(text.strip())
    if not match:
        raise UserError(
            f"invalid Kubernetes version {text!r} (expected e.g. 1.30, 1.30.2 or v1.30.0)"
        )
    version = KubeVersion(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))
    supported = bundled_versions()
    if (version.major, version.minor) not in {(v.major, v.minor) for v in supported}:
        raise UserError(
            f"no bundled schemas for Kubernetes {version.minor_version} "
            f"(supported: {supported[0].minor_version} to {supported[-1].minor_version})"
        )
    return version
