"""Deployment progress deadline shorter than its own startup budget."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, mapping
from chartgen.rules.support.probes import budget_seconds
from chartgen.rules.support.quantities import integer

ID = "progress-deadline-below-startup"
SEVERITY = Severity.WARNING
SUMMARY = "progressDeadlineSeconds must exceed the startup probe budget (plus image pull)"
RATIONALE = (
    "A Deployment whose new pods are not available within `progressDeadlineSeconds` (600 s by "
    "default) is marked failed: `kubectl rollout status`, `helm --wait` and Argo CD report a failed "
    "rollout while large models are still loading legitimately. Serving charts raise it: "
    "production-stack 1200 s, NIM 3600 s."
)
REFERENCES = (
    "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#progress-deadline-seconds",
    "vllm-project/production-stack",
)
FIX = "Set progressDeadlineSeconds above the startup probe budget plus a cold image pull (about 10 minutes for serving images)."
EXAMPLE = """\
spec:
  progressDeadlineSeconds: 1800   # 600 s image pull + 1200 s startup budget
"""
TAGS = ("kubernetes", "ml", "rollout")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"
DEFAULT_DEADLINE_SECONDS = 600
FIELD = "progressDeadlineSeconds"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload in objects.of_kind_workloads("Deployment"):
        spec = mapping(workload.obj.data.get("spec"))
        deadline = integer(spec.get(FIELD))
        deadline = DEFAULT_DEADLINE_SECONDS if deadline is None else deadline
        budgets = [
            budget_seconds(probe) for c in workload.containers if (probe := c.probe("startup"))
        ]
        if budgets and max(budgets) >= deadline:
            pointer = f"/spec/{FIELD}" if FIELD in spec else "/spec"
            message = f"progress deadline {deadline}s is not longer than the {max(budgets)}s startup budget"
            yield Issue(ID, pointer, message, obj=workload.obj)
