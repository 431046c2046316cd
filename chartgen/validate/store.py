"""Which schema validates an object: built-in kinds first, then CRDs (user, chart, bundled)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from chartgen.validate.crds import CrdVersion, bundled_crds
from chartgen.validate.k8s import builtin_schema, definitions
from chartgen.validate.naming import split_api_version
from chartgen.validate.openapi import crd_json_schema
from chartgen.validate.standalone import standalone
from chartgen.validate.versions import KubeVersion

CrdKey = tuple[str, str, str]  # group, version, kind


class SchemaStore:
    """Standalone schemas for one Kubernetes version and strictness, each built once."""

    def __init__(self, version: KubeVersion, strict: bool, crds: Iterable[CrdVersion] = ()) -> None:
        self.version = version
        self.strict = strict
        self.extra_crds: dict[CrdKey, CrdVersion] = {}
        self._schemas: dict[tuple[str, str], dict[str, Any] | None] = {}
        self.add_crds(crds)

    def add_crds(self, crds: Iterable[CrdVersion]) -> None:
        """Register CRDs; the first definition of a group/version/kind wins (`--crd` first)."""
        for crd in crds:
            key = (crd.group, crd.version, crd.kind)
            if key not in self.extra_crds:
                self.extra_crds[key] = crd
                self._schemas.pop((crd.api_version, crd.kind), None)

    def lookup(self, api_version: str, kind: str) -> dict[str, Any] | None:
        key = (api_version, kind)
        if key not in self._schemas:
            self._schemas[key] = self._find(api_version, kind)
        return self._schemas[key]

    def crd_openapi(self, api_version: str, kind: str) -> Mapping[str, Any] | None:
        """The OpenAPI schema of a custom kind's CRD version (user CRDs first, then bundled)."""
        group, version = split_api_version(api_version)
        extra = self.extra_crds.get((group, version, kind))
        if extra is not None:
            return extra.openapi
        crd = next((c for c in bundled_crds(group) if (c.version, c.kind) == (version, kind)), None)
        return crd.openapi if crd is not None else None

    def _find(self, api_version: str, kind: str) -> dict[str, Any] | None:
        builtin = builtin_schema(self.version, self.strict, api_version, kind)
        if builtin is not None:
            return builtin
        group, version = split_api_version(api_version)
        extra = self.extra_crds.get((group, version, kind))
        if extra is not None:
            return crd_schema(extra, self.version, self.strict)
        return bundled_crd_schema(group, version, kind, self.version, self.strict)


def crd_schema(crd: CrdVersion, version: KubeVersion, strict: bool) -> dict[str, Any]:
    """The standalone JSON Schema of a CRD version (none declared: anything goes, as in the API)."""
    if crd.openapi is None:
        return {}
    return standalone(
        crd_json_schema(dict(crd.openapi), strict=strict), definitions(version, strict)
    )


@functools.cache
def bundled_crd_schema(
    group: str, version: str, kind: str, kube_version: KubeVersion, strict: bool
) -> dict[str, Any] | None:
    for crd in bundled_crds(group):
        if (crd.version, crd.kind) == (version, kind):
            return crd_schema(crd, kube_version, strict)
    return None
