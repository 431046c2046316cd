"""GPU pod without a toleration for the GPU node taint."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, Workload
from chartgen.rules.support.scheduling import (
    gpu_target,
    has_gpu_toleration,
    taint_text,
    untolerated_taints,
)

ID = "gpu-toleration-missing"
SEVERITY = Severity.WARNING
SUMMARY = "GPU pods should tolerate the GPU node taint"
RATIONALE = (
    "GPU node pools are usually tainted (`nvidia.com/gpu:NoSchedule`, AKS `sku=gpu:NoSchedule`) so "
    "that CPU pods stay off them. Only clusters with the ExtendedResourceToleration admission plugin "
    "(GKE) add the matching toleration automatically; AKS lacks it and pods stay Pending "
    "(Azure/AKS#1449). Helper pods on GPU nodes need it explicitly everywhere (vllm-project/aibrix#909). "
    "Taints differ per node-pool variant (EKS managed node groups: none by default; Karpenter and "
    "Auto Mode: `nvidia.com/gpu=true`; AKS GPU node pools: `sku=gpu`): with a known platform the "
    "rule checks the taints of the variant (`--platform NAME/VARIANT`, the chart's "
    "`chartgen.dev/node-pool`, else the variants whose labels the pod selects, else every variant, "
    "reporting only when none admits the pod) and names them."
)
REFERENCES = ("Azure/AKS#1449", "vllm-project/aibrix#909", "kubernetes/kubernetes#55839")
FIX = "Add a toleration for the GPU taint of your node pools."
EXAMPLE = """\
tolerations:
  - key: nvidia.com/gpu
    operator: Exists
    effect: NoSchedule
"""
TAGS = ("kubernetes", "gpu", "scheduling")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload in objects.workloads:
        if workload.gpus > 0:
            message = _untolerated(workload, ctx)
            if message:
                yield Issue(ID, workload.pod_pointer, message, obj=workload.obj)


def _untolerated(workload: Workload, ctx: RuleContext) -> str | None:
    """The finding's message, or None when the pod may land on a targeted variant's GPU nodes."""
    target = gpu_target(workload, ctx)
    if target is None:
        if has_gpu_toleration(workload):
            return None
        return f"{workload.kind} requests {workload.gpus:g} GPUs but tolerates no GPU node taint"
    missing = [(pool, untolerated_taints(workload, pool)) for pool in target.pools]
    if any(not taints for _, taints in missing):
        return None
    if len(missing) == 1:
        taints = ", ".join(taint_text(t) for t in missing[0][1])
    else:
        taints = "; ".join(
            f"{pool.name}: {', '.join(taint_text(t) for t in found)}" for pool, found in missing
        )
    return (
        f"{workload.kind} requests {workload.gpus:g} GPUs but does not tolerate the GPU node"
        f" taints of {target.describe()}: {taints}"
    )
