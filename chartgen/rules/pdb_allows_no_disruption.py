"""PodDisruptionBudget that allows no eviction at the workload's replica count."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.disruption import allowed_disruptions, budget_pointer
from chartgen.rules.support.objects import ObjectSet, lookup
from chartgen.rules.support.scaling import replica_range

ID = "pdb-allows-no-disruption"
SEVERITY = Severity.WARNING
SUMMARY = "A PodDisruptionBudget must allow at least one eviction at the minimum replica count"
RATIONALE = (
    "`minAvailable` equal to the replica count (or above an HPA's minReplicas), or `maxUnavailable: "
    "0`, blocks every voluntary eviction: node drains and cluster upgrades hang (kserve/kserve#4574). "
    "Single-replica GPU workloads are reported by single-gpu-replica-blocking-pdb instead. kube-linter "
    "`pdb-max-unavailable`/`pdb-min-available`, Polaris `pdbDisruptionsIsZero`, "
    "`pdbMinAvailableGreaterThanHPAMinReplicas`."
)
REFERENCES = (
    "kserve/kserve#4574",
    "https://kubernetes.io/docs/tasks/run-application/configure-pdb/",
)
FIX = "Use `maxUnavailable: 1` (it scales with the replica count), or a minAvailable below the minimum replicas."
EXAMPLE = """\
spec:
  maxUnavailable: 1
"""
TAGS = ("kubernetes", "availability")
DEFAULTS: dict[str, object] = {}
SCOPE = "set"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for pdb in objects.of_kind("PodDisruptionBudget"):
        for workload in objects.selected_by(lookup(pdb.data, "/spec/selector")):
            low, high = replica_range(objects, workload)
            if low == 0 or (workload.serves and workload.gpus > 0 and high == 1):
                continue  # nothing to evict at zero; single GPU replicas: single-gpu-replica-blocking-pdb
            if allowed_disruptions(pdb, low) == 0:
                message = f"PodDisruptionBudget allows no eviction of {workload.kind}/{workload.obj.name} at {low} replica(s)"
                yield Issue(ID, budget_pointer(pdb), message, obj=pdb)
                break
