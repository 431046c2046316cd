"""GPU Deployment whose rolling update surges: it needs a GPU nobody has."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet
from chartgen.rules.support.rollout import surge_and_unavailable, surge_pointer
from chartgen.rules.support.runtimes import spare_gpus
from chartgen.rules.support.scaling import replica_range

ID = "gpu-rolling-update-needs-spare"
SEVERITY = Severity.WARNING
SUMMARY = "GPU Deployments should roll out with maxSurge 0 or Recreate unless spare GPUs exist"
RATIONALE = (
    "A RollingUpdate with maxSurge >= 1 (the default 25% rounds up to 1) starts the new pod before "
    "an old one stops, so it needs free GPUs. GPU pools rarely have any: the new pod stays Pending "
    "with `Insufficient nvidia.com/gpu`, and with maxUnavailable 0 (the default 25% rounds down to 0 "
    "below 4 replicas) the old pod is never removed, so the rollout deadlocks "
    "(defilantech/LLMKube#192, ai-runway/airunway#400, cortexlabs/cortex#644). Declare spare GPUs "
    "with the `chartgen.dev/spare-gpus` annotation (or the spec) when a surge is intended."
)
REFERENCES = (
    "defilantech/LLMKube#192",
    "ai-runway/airunway#400",
    "cortexlabs/cortex#644",
    "runestack/rune#250",
)
FIX = "Use `maxSurge: 0, maxUnavailable: 1` (several replicas) or `type: Recreate` (one replica)."
EXAMPLE = """\
strategy:
  type: RollingUpdate
  rollingUpdate:
    maxSurge: 0
    maxUnavailable: 1
"""
TAGS = ("kubernetes", "gpu", "rollout", "reliability")
DEFAULTS: dict[str, object] = {}
SCOPE = "set"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload in objects.of_kind_workloads("Deployment"):
        gpus = workload.gpus
        if gpus <= 0:
            continue
        surge, unavailable = surge_and_unavailable(workload, replica_range(objects, workload)[1])
        if surge and surge * gpus > spare_gpus(workload, ctx):
            stuck = (
                " and maxUnavailable 0 keeps the old pod: the rollout deadlocks"
                if not unavailable
                else ""
            )
            message = (
                f"rolling update surges {surge} pod(s) needing {surge * gpus:g} spare GPUs{stuck}"
            )
            yield Issue(ID, surge_pointer(workload), message, obj=workload.obj)
