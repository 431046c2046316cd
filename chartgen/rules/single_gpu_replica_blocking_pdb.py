"""Single GPU replica behind a PodDisruptionBudget that allows no disruption."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.disruption import allowed_disruptions, budget_pointer
from chartgen.rules.support.objects import ObjectSet
from chartgen.rules.support.scaling import replica_range

ID = "single-gpu-replica-blocking-pdb"
SEVERITY = Severity.WARNING
SUMMARY = "A PDB must not block the only replica of a GPU workload from being evicted"
RATIONALE = (
    "With one replica, `minAvailable: 1` (or `maxUnavailable: 0`) means no voluntary eviction is "
    "ever allowed: GPU node-pool upgrades, driver updates and autoscaler scale-downs wait on the "
    "drain forever. Generic linters flag 'no disruption allowed', but not that GPU pools are "
    "upgraded often and have no spare node to move to. Choose a maintenance policy explicitly."
)
REFERENCES = (
    "https://kubernetes.io/docs/tasks/run-application/configure-pdb/",
    "kserve/kserve#4574",
)
FIX = "Drop the PDB for a single replica (accept the downtime), or run two replicas with `maxUnavailable: 1`."
EXAMPLE = """\
kind: PodDisruptionBudget
spec:
  maxUnavailable: 1
  unhealthyPodEvictionPolicy: AlwaysAllow
"""
TAGS = ("kubernetes", "gpu", "availability")
DEFAULTS: dict[str, object] = {}
SCOPE = "set"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload in objects.serving_workloads:
        low, high = replica_range(objects, workload)
        if workload.gpus <= 0 or high != 1:
            continue
        for pdb in objects.pdbs_for(workload):
            if allowed_disruptions(pdb, low) == 0:
                message = f"PodDisruptionBudget blocks evicting the single GPU replica of {workload.kind}/{workload.obj.name}"
                yield Issue(ID, budget_pointer(pdb), message, obj=pdb)
