"""Kubernetes schema validation, offline: built-in kinds of a Kubernetes version plus CRDs.

Two backends give the same verdicts on the same standalone schemas: `builtin` (jsonschema, in
process) and `kubeconform` (the real binary on an exported schema layout). `auto` picks
kubeconform when it is installed, else builtin.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from chartgen.errors import UserError
from chartgen.manifests import ManifestObject
from chartgen.validate.issues import Issue
from chartgen.validate.store import SchemaStore

VALIDATORS = ("builtin", "kubeconform", "auto")


class SchemaBackend(Protocol):
    name: str
    store: SchemaStore

    def check(self, objects: Sequence[ManifestObject]) -> list[list[Issue]]:
        """Per object (same order), the schema problems found; [] for a valid object."""
        ...


def get_backend(
    name: str, store: SchemaStore, kubeconform_binary: str | None = None
) -> SchemaBackend:
    if name in ("auto", "kubeconform"):
        from chartgen.validate.kubeconform import KubeconformBackend, find_kubeconform

        if name == "kubeconform" or find_kubeconform(kubeconform_binary):
            return KubeconformBackend(store, kubeconform_binary)
        name = "builtin"
    if name == "builtin":
        from chartgen.validate.builtin import BuiltinBackend

        return BuiltinBackend(store)
    raise UserError(f"unknown validator {name!r} (allowed: {', '.join(VALIDATORS)})")


__all__ = ["VALIDATORS", "Issue", "SchemaBackend", "SchemaStore", "get_backend"]
