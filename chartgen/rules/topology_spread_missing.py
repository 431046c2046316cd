"""Several replicas with nothing spreading them across nodes or zones."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, Workload, lookup
from chartgen.rules.support.scaling import replica_range

ID = "topology-spread-missing"
SEVERITY = Severity.WARNING
SUMMARY = "Workloads with several replicas should spread them (topologySpreadConstraints or anti-affinity)"
RATIONALE = (
    "Without spreading, the scheduler may put every replica on one node or zone, and one node "
    "failure or zonal outage takes the whole service down, followed by a long model reload. For GPU "
    "pools use `whenUnsatisfiable: ScheduleAnyway`, since zones often lack GPUs. Polaris "
    "`topologySpreadConstraint`, kube-linter `no-anti-affinity`, kube-score "
    "`deployment-has-host-podantiaffinity`."
)
REFERENCES = (
    "https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/",
    "kserve/kserve#4574",
)
FIX = "Add topologySpreadConstraints on `kubernetes.io/hostname` and `topology.kubernetes.io/zone` (ScheduleAnyway for GPUs)."
EXAMPLE = """\
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels: {app.kubernetes.io/name: llm}
"""
TAGS = ("kubernetes", "availability")
DEFAULTS: dict[str, object] = {"min-replicas": 2}
SCOPE = "set"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    minimum = int(ctx.options(ID, DEFAULTS)["min-replicas"])
    for workload in objects.of_kind_workloads("Deployment", "StatefulSet"):
        most = replica_range(objects, workload)[1]
        if most >= minimum and not _spreads(workload):
            message = f"{workload.kind} runs up to {most} replicas with no topology spread or pod anti-affinity"
            yield Issue(ID, workload.pod_pointer, message, obj=workload.obj)


def _spreads(workload: Workload) -> bool:
    pod = workload.pod
    return bool(pod.get("topologySpreadConstraints")) or bool(
        lookup(pod, "/affinity/podAntiAffinity")
    )
