"""GPU pod without a toleration for the GPU node taint."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet
from chartgen.rules.support.scheduling import has_gpu_toleration, platform_adds_gpu_toleration

ID = "gpu-toleration-missing"
SEVERITY = Severity.WARNING
SUMMARY = "GPU pods should tolerate the GPU node taint"
RATIONALE = (
    "GPU node pools are usually tainted (`nvidia.com/gpu:NoSchedule`, AKS `sku=gpu:NoSchedule`) so "
    "that CPU pods stay off them. Only clusters with the ExtendedResourceToleration admission plugin "
    "(GKE) add the matching toleration automatically; AKS lacks it and pods stay Pending "
    "(Azure/AKS#1449). Helper pods on GPU nodes need it explicitly everywhere (vllm-project/aibrix#909)."
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


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    if platform_adds_gpu_toleration(ctx.platform):
        return
    for workload in objects.workloads:
        if workload.gpus > 0 and not has_gpu_toleration(workload):
            message = (
                f"{workload.kind} requests {workload.gpus:g} GPUs but tolerates no GPU node taint"
            )
            yield Issue(ID, workload.pod_pointer, message, obj=workload.obj)
