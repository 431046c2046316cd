"""PodDisruptionBudget arithmetic: how many pods may be evicted at the given replica count."""

from __future__ import annotations

from chartgen.manifests import ManifestObject
from chartgen.rules.support.objects import mapping
from chartgen.rules.support.quantities import scaled


def allowed_disruptions(pdb: ManifestObject, replicas: int) -> int | None:
    """Evictions allowed with `replicas` healthy pods; None when the PDB sets no policy."""
    spec = mapping(pdb.data.get("spec"))
    if "maxUnavailable" in spec:
        allowed = scaled(spec["maxUnavailable"], replicas, round_up=True)
        return None if allowed is None else max(allowed, 0)
    if "minAvailable" in spec:
        minimum = scaled(spec["minAvailable"], replicas, round_up=True)
        return None if minimum is None else max(replicas - minimum, 0)
    return None


def budget_pointer(pdb: ManifestObject) -> str:
    spec = mapping(pdb.data.get("spec"))
    for field in ("maxUnavailable", "minAvailable"):
        if field in spec:
            return f"/spec/{field}"
    return "/spec"
