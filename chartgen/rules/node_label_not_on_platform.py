"""Node selection on GPU labels that the targeted platform variant never puts on its nodes."""

from __future__ import annotations

import functools
from collections.abc import Iterator

from chartgen import catalog
from chartgen.catalog.nodes import INSTANCE_TYPE_LABEL, node_pool
from chartgen.catalog.profiles import NodePool
from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet
from chartgen.rules.support.scheduling import node_label_keys

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
    "variant are catalog data; the variant is `--platform NAME[/POOL]`, else the chart's "
    "`chartgen.dev/platform` and `chartgen.dev/node-pool` annotations, else the platform's default."
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


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    if ctx.platform is None or ctx.platform not in catalog.platform_names():
        return
    pool = node_pool(ctx.platform, ctx.node_pool)
    present = pool_label_keys(pool)
    for workload in objects.workloads:
        if workload.gpus <= 0:
            continue
        for pointer, key in node_label_keys(workload):
            if key in gpu_label_keys() and key not in present:
                where = ", ".join(variants_with(key)) or "no catalog variant"
                message = (
                    f"{workload.kind} selects node label {key!r}, which {ctx.platform} "
                    f"{pool.name} GPU nodes do not carry (found on: {where})"
                )
                yield Issue(ID, pointer, message, obj=workload.obj)


def pool_label_keys(pool: NodePool) -> frozenset[str]:
    keys = set(pool.labels) | set(pool.spot_labels)
    if pool.instance_types:
        keys.add(INSTANCE_TYPE_LABEL)
    return frozenset(keys)


@functools.cache
def gpu_label_keys() -> frozenset[str]:
    """Every label key some platform variant puts on GPU nodes (the labels this rule judges)."""
    return frozenset(
        key
        for name in catalog.platform_names()
        for pool in catalog.platform(name).node_pools.values()
        for key in pool_label_keys(pool)
        if key != INSTANCE_TYPE_LABEL  # every cloud node has one
    )


def variants_with(key: str) -> list[str]:
    return [
        f"{name}/{pool.name}"
        for name in catalog.platform_names()
        for pool in catalog.platform(name).node_pools.values()
        if key in pool_label_keys(pool)
    ]
