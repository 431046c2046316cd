"""Node labels and taints of accelerator nodes, and how pods target them."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from chartgen import catalog
from chartgen.catalog.nodes import node_pool
from chartgen.catalog.profiles import NodePool
from chartgen.manifests import escape_pointer
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import Workload, lookup, mapping, sequence

# Label key prefixes that only accelerator nodes carry (GPU operator/GFD, clouds, Karpenter, NFD).
ACCELERATOR_LABEL_PREFIXES = (
    "nvidia.com/",
    "amd.com/gpu",
    "beta.amd.com/gpu",
    "gpu.intel.com/",
    "habana.ai/",
    "cloud.google.com/gke-accelerator",
    "cloud.google.com/gke-gpu",
    "cloud.google.com/gke-tpu",
    "karpenter.k8s.aws/instance-gpu",
    "eks.amazonaws.com/instance-gpu",
    "kubernetes.azure.com/accelerator",
    "karpenter.azure.com/sku-gpu",
    "feature.node.kubernetes.io/pci-10de",
    "feature.node.kubernetes.io/pci-1002",
)
# Also pins the GPU type (g5.xlarge, Standard_NC24ads_A100_v4), but CPU pools have it too.
INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type"
# Taints GPU node pools carry: key, or (key, value) where the key alone is ambiguous (AKS `sku=gpu`).
GPU_TAINT_KEYS = (
    "nvidia.com/gpu",
    "amd.com/gpu",
    "gpu.intel.com/i915",
    "habana.ai/gaudi",
    "aws.amazon.com/neuron",
    "google.com/tpu",
)
GPU_TAINT_PAIRS = (("sku", "gpu"),)


@dataclass(frozen=True)
class Target:
    """The node-pool variants a workload is judged against. `declared`: one variant was named
    (`--platform P/VARIANT`, the chart's chartgen.dev/node-pool, the spec); otherwise the
    variants whose GPU nodes carry every GPU label the workload selects, or, when none does or it
    selects none, every variant of the platform - and a rule reports only when none fits."""

    platform: str
    pools: tuple[NodePool, ...]
    declared: bool

    def describe(self, pools: tuple[NodePool, ...] | None = None) -> str:
        names = [pool.name for pool in (self.pools if pools is None else pools)]
        if len(names) == 1:
            return f"{self.platform} {names[0]}"
        return f"{self.platform} ({' or '.join(names)})"


def gpu_target(workload: Workload, ctx: RuleContext) -> Target | None:
    """The variants to judge `workload` against; None when the platform is not a catalog one."""
    if ctx.platform is None or ctx.platform not in catalog.platform_names():
        return None
    if ctx.node_pool is not None:
        return Target(ctx.platform, (node_pool(ctx.platform, ctx.node_pool),), declared=True)
    pools = tuple(catalog.platform(ctx.platform).node_pools.values())
    selected = selected_gpu_label_keys(workload)
    detected = tuple(p for p in pools if selected <= pool_label_keys(p)) if selected else ()
    return Target(ctx.platform, detected or pools, declared=False)


def pool_label_keys(pool: NodePool) -> frozenset[str]:
    """Label keys on the variant's GPU nodes (spot ones included; the instance type when the
    variant pins products by it)."""
    keys = set(pool.labels) | set(pool.spot_labels)
    if pool.instance_types:
        keys.add(INSTANCE_TYPE_LABEL)
    return frozenset(keys)


@functools.cache
def gpu_label_keys() -> frozenset[str]:
    """Every label key some platform variant puts on GPU nodes (the labels variants differ in)."""
    return frozenset(
        key
        for name in catalog.platform_names()
        for pool in catalog.platform(name).node_pools.values()
        for key in pool_label_keys(pool)
        if key != INSTANCE_TYPE_LABEL  # every cloud node has one
    )


def selected_gpu_label_keys(workload: Workload) -> frozenset[str]:
    return frozenset(key for _, key in node_label_keys(workload) if key in gpu_label_keys())


def variants_with(key: str) -> list[str]:
    return [
        f"{name}/{pool.name}"
        for name in catalog.platform_names()
        for pool in catalog.platform(name).node_pools.values()
        if key in pool_label_keys(pool)
    ]


def pool_needs_gpu_label(pool: NodePool) -> bool:
    """GPU pods must select a label to land on the variant's GPU nodes: it names a GPU selector,
    or provisions GPU nodes only for pods naming the product."""
    return bool(pool.gpu_selector) or pool.product_required


def pool_targeting_labels(pool: NodePool) -> list[str]:
    """The labels a GPU pod selects the variant's GPU nodes (and their product) by."""
    keys = list(pool.gpu_selector)
    if pool.product_label:
        keys.append(pool.product_label)
    if pool.instance_types:
        keys.append(INSTANCE_TYPE_LABEL)
    return keys


def untolerated_taints(workload: Workload, pool: NodePool) -> list[dict[str, str]]:
    """The variant's GPU node taints the pod does not tolerate (none when the platform adds the
    GPU toleration itself)."""
    if pool.tolerations_automatic:
        return []
    tolerations = sequence(workload.pod.get("tolerations"))
    return [t for t in pool.taints if not any(tolerates(mapping(o), t) for o in tolerations)]


def tolerates(toleration: dict[str, Any], taint: dict[str, str]) -> bool:
    """Kubernetes' ToleratesTaint: empty key with Exists matches all; effect empty matches all."""
    effect = toleration.get("effect")
    if effect and effect != taint["effect"]:
        return False
    key = toleration.get("key")
    if not key:
        return toleration.get("operator") == "Exists"
    if key != taint["key"]:
        return False
    if toleration.get("operator", "Equal") == "Exists":
        return True
    return str(toleration.get("value") or "") == taint.get("value", "")


def taint_text(taint: dict[str, str]) -> str:
    value = f"={taint['value']}" if taint.get("value") else ""
    return f"{taint['key']}{value}:{taint['effect']}"


def is_accelerator_label(key: str) -> bool:
    return key.startswith(ACCELERATOR_LABEL_PREFIXES)


def node_label_keys(workload: Workload) -> Iterator[tuple[str, str]]:
    """(pointer, key) of every node label the pod selects on: nodeSelector and node affinity."""
    pod = workload.pod
    for key in mapping(pod.get("nodeSelector")):
        yield f"{workload.pod_pointer}/nodeSelector/{escape_pointer(str(key))}", str(key)
    for pointer, term in _affinity_terms(pod):
        for index, expression in enumerate(sequence(mapping(term).get("matchExpressions"))):
            key = str(mapping(expression).get("key"))
            yield (
                f"{workload.pod_pointer}/affinity/nodeAffinity/{pointer}/matchExpressions/{index}",
                key,
            )


def node_labels(workload: Workload) -> Iterator[tuple[str, str]]:
    """(key, value) of every node label value the pod selects: nodeSelector and `In` terms."""
    pod = workload.pod
    for key, value in mapping(pod.get("nodeSelector")).items():
        yield str(key), str(value)
    for _, term in _affinity_terms(pod):
        for expression in sequence(mapping(term).get("matchExpressions")):
            item = mapping(expression)
            if item.get("operator") == "In":
                key = str(item.get("key"))
                yield from ((key, str(value)) for value in sequence(item.get("values")))


def _affinity_terms(pod: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    affinity = mapping(lookup(pod, "/affinity/nodeAffinity"))
    required = "requiredDuringSchedulingIgnoredDuringExecution"
    for index, term in enumerate(sequence(lookup(affinity, f"/{required}/nodeSelectorTerms"))):
        yield f"{required}/nodeSelectorTerms/{index}", term
    preferred = "preferredDuringSchedulingIgnoredDuringExecution"
    for index, item in enumerate(sequence(affinity.get(preferred))):
        yield f"{preferred}/{index}/preference", mapping(item).get("preference")


def targets_accelerators(workload: Workload, *, instance_type: bool = True) -> list[str]:
    """Pointers of the node selection terms that pick accelerator nodes (or instance types)."""
    return [
        pointer
        for pointer, key in node_label_keys(workload)
        if is_accelerator_label(key) or (instance_type and key == INSTANCE_TYPE_LABEL)
    ]


def tolerates_gpu_taint(toleration: Any) -> bool:
    item = mapping(toleration)
    key, value = str(item.get("key") or ""), str(item.get("value") or "")
    if not key:
        return item.get("operator") == "Exists"  # tolerates every taint
    return key in GPU_TAINT_KEYS or (key, value) in GPU_TAINT_PAIRS


def gpu_tolerations(workload: Workload) -> list[int]:
    """Indexes of the pod's tolerations that let it onto tainted GPU nodes (not the catch-all)."""
    items = sequence(workload.pod.get("tolerations"))
    return [i for i, t in enumerate(items) if tolerates_gpu_taint(t) and mapping(t).get("key")]


def has_gpu_toleration(workload: Workload) -> bool:
    return any(tolerates_gpu_taint(t) for t in sequence(workload.pod.get("tolerations")))
