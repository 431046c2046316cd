"""Node labels and taints of accelerator nodes, and how pods target them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chartgen import catalog
from chartgen.manifests import escape_pointer
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


def platform_adds_gpu_toleration(platform: str | None) -> bool:
    """The platform tolerates its GPU taint itself (catalog `tolerations_automatic`)."""
    return platform in catalog.platform_names() and catalog.platform(platform).tolerations_automatic


def platform_needs_no_gpu_label(platform: str | None) -> bool:
    """The platform has no GPU node label every GPU node carries (catalog `gpu_node_selector`)."""
    return platform in catalog.platform_names() and not catalog.platform(platform).gpu_node_selector


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
