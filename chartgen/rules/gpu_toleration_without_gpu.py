"""Pod tolerating the GPU taint or selecting GPU nodes without requesting a GPU."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen import chart_facts
from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet
from chartgen.rules.support.scheduling import gpu_tolerations, targets_accelerators

ID = "gpu-toleration-without-gpu"
SEVERITY = Severity.WARNING
SUMMARY = "Pods that request no GPU should not tolerate GPU taints or select GPU nodes"
RATIONALE = (
    "GPU nodes are tainted to keep CPU work off them. A pod that tolerates the taint or selects GPU "
    "nodes without requesting a GPU takes CPU and memory a GPU pod needs on the most expensive "
    "nodes, and with default device-plugin settings it may even see every GPU of the node "
    "(NVIDIA/k8s-device-plugin#61)."
)
REFERENCES = ("NVIDIA/k8s-device-plugin#61", "vllm-project/aibrix#909")
FIX = (
    "Remove the GPU toleration and node selector, or request the GPU the pod needs. A helper that"
    f" must share the GPU pods' node or zone (a download Job filling their volume) says why in the"
    f" pod annotation `{chart_facts.GPU_NODE_HELPER}`."
)
EXAMPLE = """\
# a CPU-only helper: no GPU toleration, no GPU node selector
nodeSelector:
  kubernetes.io/os: linux
"""
TAGS = ("kubernetes", "gpu", "scheduling", "cost")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload in objects.workloads:
        if (
            workload.gpus > 0
            or not workload.gpus_known
            or workload.annotations.get(chart_facts.GPU_NODE_HELPER)
        ):
            continue
        tolerations = gpu_tolerations(workload)
        if tolerations:
            pointer = f"{workload.pod_pointer}/tolerations/{tolerations[0]}"
            yield Issue(
                ID,
                pointer,
                f"{workload.kind} tolerates a GPU taint but requests no GPU",
                obj=workload.obj,
            )
        targets = targets_accelerators(workload, instance_type=False)
        if targets:
            yield Issue(
                ID,
                targets[0],
                f"{workload.kind} selects GPU nodes but requests no GPU",
                obj=workload.obj,
            )
