"""HorizontalPodAutoscaler or ScaledObject targeting a workload not in the chart."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, lookup

ID = "autoscaler-target-missing"
SEVERITY = Severity.ERROR
SUMMARY = "Autoscalers must target a Deployment or StatefulSet rendered by the same chart"
RATIONALE = (
    "An HPA or KEDA ScaledObject whose `scaleTargetRef` names no rendered workload (a renamed "
    "fullname helper, a wrong kind after switching to a StatefulSet) scales nothing and reports "
    "FailedGetScale. kube-linter `dangling-horizontalpodautoscaler`, kube-score "
    "`horizontalpodautoscaler-has-target`."
)
REFERENCES = ("https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/",)
FIX = "Point `scaleTargetRef` at the kind and name of the workload the chart renders."
EXAMPLE = """\
scaleTargetRef:
  apiVersion: apps/v1
  kind: Deployment
  name: llm
"""
TAGS = ("kubernetes", "autoscaling", "correctness")
DEFAULTS: dict[str, object] = {}
SCOPE = "set"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    if not objects.workloads:
        return
    for autoscaler in objects.of_kind("HorizontalPodAutoscaler", "ScaledObject"):
        if objects.autoscaler_target(autoscaler) is None:
            ref = lookup(autoscaler.data, "/spec/scaleTargetRef") or {}
            shown = (
                f"{ref.get('kind', 'Deployment')}/{ref.get('name', '')}"
                if isinstance(ref, dict)
                else str(ref)
            )
            yield Issue(
                ID,
                "/spec/scaleTargetRef",
                f"{autoscaler.kind} targets {shown}, which the chart does not render",
                obj=autoscaler,
            )
