"""GPU pod that does not select GPU nodes by label."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet
from chartgen.rules.support.scheduling import platform_needs_no_gpu_label, targets_accelerators

ID = "gpu-node-targeting-missing"
SEVERITY = Severity.WARNING
SUMMARY = "GPU pods should select GPU nodes (and the GPU model) by node label"
RATIONALE = (
    "A GPU request alone lands the pod on any node advertising that resource: a T4 as well as an "
    "H100, and engines built for one GPU architecture (TensorRT-LLM, NIM profiles) fail on another. "
    "Only node labels (`nvidia.com/gpu.product`, `cloud.google.com/gke-accelerator`, "
    "`karpenter.k8s.aws/instance-gpu-name`, `kubernetes.azure.com/accelerator`) pin the GPU type. "
    "On EKS and GKE, where no standard GPU label exists without a product, the rule is skipped when "
    "the platform is known."
)
REFERENCES = (
    "https://kubernetes.io/docs/tasks/manage-gpus/scheduling-gpus/#clusters-containing-different-types-of-gpus",
    "Azure/AKS#1449",
)
FIX = "Add a `nodeSelector` (or required node affinity) on the GPU node label of your platform."
EXAMPLE = """\
nodeSelector:
  nvidia.com/gpu.present: "true"
  nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3
"""
TAGS = ("kubernetes", "gpu", "scheduling")
DEFAULTS: dict[str, object] = {}


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    if platform_needs_no_gpu_label(ctx.platform):
        return
    for workload in objects.workloads:
        if workload.gpus > 0 and not targets_accelerators(workload):
            message = (
                f"{workload.kind} requests {workload.gpus:g} GPUs but selects no GPU node label"
            )
            yield Issue(ID, workload.pod_pointer, message, obj=workload.obj)
