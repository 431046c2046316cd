"""PodDisruptionBudget whose selector matches no pod template."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, lookup

ID = "pdb-selects-no-pods"
SEVERITY = Severity.WARNING
SUMMARY = "A PodDisruptionBudget must select the pods of a workload in the chart"
RATIONALE = (
    "A PDB that matches no pod protects nothing: drains and node-pool upgrades evict every replica "
    "at once, which for model servers means minutes of full outage while all replicas reload."
)
REFERENCES = ("https://kubernetes.io/docs/tasks/run-application/configure-pdb/",)
FIX = "Use the workload's selector labels in `spec.selector.matchLabels`."
EXAMPLE = """\
kind: PodDisruptionBudget
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: llm
"""
TAGS = ("kubernetes", "availability", "correctness")
DEFAULTS: dict[str, object] = {}
SCOPE = "set"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    if not objects.workloads:
        return
    for pdb in objects.of_kind("PodDisruptionBudget"):
        if not objects.selected_by(lookup(pdb.data, "/spec/selector")):
            yield Issue(
                ID,
                "/spec/selector",
                "PodDisruptionBudget selector matches no pod template",
                obj=pdb,
            )
