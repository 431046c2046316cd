"""Node selection on GPU labels that the targeted platform variant never puts on its nodes."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.catalog.profiles import NodePool
from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet
from chartgen.rules.support.scheduling import (
    Target,
    gpu_label_keys,
    gpu_target,
    node_label_keys,
    pool_label_keys,
    selected_gpu_label_keys,
    variants_with,
)

ID = "node-label-not-on-platform"
SEVERITY = Severity.ERROR
SUMMARY = "GPU node labels the pod selects must exist on the targeted platform's GPU nodes"
RATIONALE = (
    "GPU node labels differ per platform and per way of creating nodes: "
    "`karpenter.k8s.aws/instance-gpu-name` exists only on Karpenter-provisioned EKS nodes, not on "
    "managed node groups or Auto Mode (`eks.amazonaws.com/instance-gpu-name`); "
    "`karpenter.azure.com/sku-gpu-name` only on AKS node auto-provisioning; "
    "`nvidia.com/gpu.product` only where GPU feature discovery runs. A required selector on a "
    "label the nodes never carry leaves the pod Pending forever. The labels of each node-pool "
    "variant are catalog data; the variant is `--platform NAME/VARIANT`, else the chart's "
    "`chartgen.dev/platform` and `chartgen.dev/node-pool` annotations (a chartgen chart without the "
    "latter targets the platform's default variant). With `--platform NAME` alone on a chart that "
    "names no variant, the variant is detected from the labels: the rule reports only when no "
    "variant of the platform carries all of them, against the variant carrying most."
)
REFERENCES = (
    "https://karpenter.sh/docs/reference/instance-types/",
    "https://docs.aws.amazon.com/eks/latest/userguide/automode-learn-instances.html",
    "https://learn.microsoft.com/azure/aks/use-nvidia-gpu",
)
FIX = (
    "Select on labels the variant's nodes carry (see docs/platforms.md), e.g. "
    "node.kubernetes.io/instance-type on EKS managed node groups, or lint with the variant you run."
)
EXAMPLE = """\
affinity:
  nodeAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      nodeSelectorTerms:
        - matchExpressions:
            - {key: node.kubernetes.io/instance-type, operator: In, values: [g6.xlarge]}
"""
TAGS = ("kubernetes", "gpu", "scheduling", "portability")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload in objects.workloads:
        target = gpu_target(workload, ctx) if workload.gpus > 0 else None
        if target is None:
            continue
        pool = _closest(target, selected_gpu_label_keys(workload))
        if pool is None:
            continue
        present = pool_label_keys(pool)
        carried = ", ".join(sorted(present)) or "no labels"
        for pointer, key in node_label_keys(workload):
            if key in gpu_label_keys() and key not in present:
                where = ", ".join(variants_with(key)) or "no catalog variant"
                message = (
                    f"{workload.kind} selects node label {key!r}, which {target.platform} "
                    f"{pool.name} GPU nodes do not carry (they carry {carried}; {key!r} is on:"
                    f" {where})"
                )
                yield Issue(ID, pointer, message, obj=workload.obj)


def _closest(target: Target, selected: frozenset[str]) -> NodePool | None:
    """The variant to report against: the declared one; else None when some candidate variant
    carries every selected GPU label, or the one carrying most of them (the default on ties)."""
    if target.declared:
        return target.pools[0]
    if any(selected <= pool_label_keys(pool) for pool in target.pools):
        return None
    return max(target.pools, key=lambda p: (len(selected & pool_label_keys(p)), p.default))
