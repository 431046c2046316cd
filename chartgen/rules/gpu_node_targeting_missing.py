"""GPU pod that does not select GPU nodes by label."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, Workload
from chartgen.rules.support.scheduling import (
    gpu_target,
    pool_needs_gpu_label,
    pool_targeting_labels,
    targets_accelerators,
)

ID = "gpu-node-targeting-missing"
SEVERITY = Severity.WARNING
SUMMARY = "GPU pods should select GPU nodes (and the GPU model) by node label"
RATIONALE = (
    "A GPU request alone lands the pod on any node advertising that resource: a T4 as well as an "
    "H100, and engines built for one GPU architecture (TensorRT-LLM, NIM profiles) fail on another. "
    "Only node labels (`nvidia.com/gpu.product`, `cloud.google.com/gke-accelerator`, "
    "`karpenter.k8s.aws/instance-gpu-name`, `kubernetes.azure.com/accelerator`) pin the GPU type. "
    "With a known platform the rule judges the node-pool variant (`--platform NAME/VARIANT`, the "
    "chart's `chartgen.dev/node-pool`, else every variant of the platform): it reports only where "
    "the variant needs a label to land GPU pods (a GPU selector such as AKS "
    "`kubernetes.azure.com/accelerator`, or GKE Autopilot provisioning GPU nodes only for pods "
    "naming the accelerator), and names the labels that variant carries; variants where the GPU "
    "request alone lands the pod (EKS managed node groups, GKE Standard) need none."
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
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload in objects.workloads:
        if workload.gpus > 0 and not targets_accelerators(workload):
            message = _missing(workload, ctx)
            if message:
                yield Issue(ID, workload.pod_pointer, message, obj=workload.obj)


def _missing(workload: Workload, ctx: RuleContext) -> str | None:
    """The finding's message, or None when the targeted variant needs no GPU label."""
    head = f"{workload.kind} requests {workload.gpus:g} GPUs but selects no GPU node label"
    target = gpu_target(workload, ctx)
    if target is None:
        return head
    if not all(pool_needs_gpu_label(pool) for pool in target.pools):
        return None
    labels = sorted({key for pool in target.pools for key in pool_targeting_labels(pool)})
    return f"{head}: {target.describe()} GPU nodes are selected by {', '.join(labels)}"
