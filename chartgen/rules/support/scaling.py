"""How many replicas a workload runs: its own count, or the range its autoscaler owns."""

from __future__ import annotations

from chartgen.rules.support.objects import ObjectSet, Workload, mapping
from chartgen.rules.support.quantities import integer

# Field names and defaults per autoscaler kind: (min field, min default, max field, max default).
AUTOSCALER_FIELDS = {
    "HorizontalPodAutoscaler": ("minReplicas", 1, "maxReplicas", 1),
    "ScaledObject": ("minReplicaCount", 0, "maxReplicaCount", 100),  # KEDA defaults
}


def replica_range(objects: ObjectSet, workload: Workload) -> tuple[int, int]:
    """(fewest, most) replicas: from the autoscaler when one targets the workload."""
    for autoscaler in objects.autoscalers_for(workload):
        min_field, min_default, max_field, max_default = AUTOSCALER_FIELDS[autoscaler.kind]
        spec = mapping(autoscaler.data.get("spec"))
        low, high = integer(spec.get(min_field)), integer(spec.get(max_field))
        return (min_default if low is None else low, max_default if high is None else high)
    return workload.replicas, workload.replicas
