"""What the GPU nodes of a platform's node-pool variant look like, from the catalog data.

One function answers "which node would this workload land on, and does such a node exist":
`gpu_node(platform, node_pool, product, gpus, mig, sharing)` returns a `FakeNode` (labels,
taints, capacity/allocatable) exactly as that variant labels and sizes a node that fits one pod
asking for `gpus` GPUs (or MIG slices) of `product`, or raises `Unplaceable` naming why no node of
the variant can host it. The scheduling-cluster tests create their fake nodes from it; the
generator asks `placement()` (built on the same data) which selectors, instance types and
tolerations a pod needs on that variant, so chart and cluster cannot disagree.

`pool_storage(platform, node_pool)` gives the variant's default StorageClass facts.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from chartgen import catalog
from chartgen.catalog.profiles import GpuProduct, NodePool, PlatformProfile, StorageFacts
from chartgen.errors import UserError

GPU_RESOURCE = "nvidia.com/gpu"
SHARED_RESOURCE = "nvidia.com/gpu.shared"
INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type"
DEFAULT_SHARING_CLIENTS = 4
# MIG instances of one profile that fit a GPU, by compute slices (<n>g.<mem>gb): 7 slices per GPU,
# and a 4g instance leaves no room for a second 4g or a 3g one.
MIG_PER_GPU = {1: 7, 2: 3, 3: 2, 4: 1, 7: 1}
MIG_PROFILE = re.compile(r"^([1-7])g\.\d+gb$")
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# Node shape apart from GPUs: roomy enough for any serving pod chartgen generates.
BASE_CAPACITY = {"cpu": "192", "memory": "2048Gi", "pods": "110", "ephemeral-storage": "2000Gi"}


class Unplaceable(UserError):
    """No node of the variant can host the workload (exit 2 when raised for a spec). `field` is
    the resources.gpu field at fault: product, mig, sharing or count."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class FakeNode:
    """A GPU node as the variant creates it: what kube-scheduler matches pods against."""

    labels: dict[str, str]
    taints: tuple[dict[str, str], ...]
    capacity: dict[str, str]
    allocatable: dict[str, str]
    physical_gpus: int
    instance_type: str | None = None

    def manifest(self, name: str, zone: str = "zone-a") -> dict[str, Any]:
        """A v1 Node object (status included) for `kubectl create` / a KWOK-managed node."""
        labels = {
            "kubernetes.io/hostname": name,
            "kubernetes.io/os": "linux",
            "kubernetes.io/arch": "amd64",
            "topology.kubernetes.io/zone": zone,
            **self.labels,
        }
        return {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {"name": name, "labels": labels},
            "spec": {"taints": [dict(t) for t in self.taints]},
            "status": {"capacity": dict(self.capacity), "allocatable": dict(self.allocatable)},
        }


@dataclass(frozen=True)
class Placement:
    """What a GPU pod needs to land on the variant: selectors, instance types, tolerations."""

    node_selector: dict[str, str]
    instance_types: tuple[str, ...]  # node.kubernetes.io/instance-type In [...], () for none
    tolerations: tuple[dict[str, str], ...]
    resource: str  # the extended resource the pod requests
    notes: tuple[str, ...] = field(default_factory=tuple)


def node_pool(platform: str | PlatformProfile, name: str | None = None) -> NodePool:
    """The named variant of the platform, or its default one when `name` is None."""
    profile = catalog.platform(platform) if isinstance(platform, str) else platform
    if name is None:
        return next(pool for pool in profile.node_pools.values() if pool.default)
    if name not in profile.node_pools:
        known = ", ".join(profile.node_pools)
        raise UserError(f"platform {profile.name} has no node pool {name!r}; known: {known}")
    return profile.node_pools[name]


def pool_storage(platform: str | PlatformProfile, name: str | None = None) -> StorageFacts:
    """The variant's default StorageClass: name, provisioner, access modes, binding mode."""
    return node_pool(platform, name).storage


def gpu_node(
    platform: str | PlatformProfile,
    pool_name: str | None,
    product: GpuProduct | None,
    gpus: int,
    mig: str | None = None,
    sharing: str | None = None,
    *,
    mig_strategy: str = "mixed",
    rename: bool | None = None,
    clients: int = DEFAULT_SHARING_CLIENTS,
    spot: bool = False,
) -> FakeNode:
    """The node of variant `pool_name` (None: the platform's default) that would host one pod
    requesting `gpus` GPUs of `product` (MIG slices of profile `mig` when set), with GPU
    `sharing` ("time-slicing" | "mps" | None) configured on the pool. `mig_strategy` is the GPU
    operator's ("mixed" | "single"), `rename` the device plugin's renameByDefault (None: as the
    platform ships it), `clients` the replicas per GPU under sharing.

    Raises Unplaceable when the variant has no such node (MIG on a pool without MIG, a product
    the variant does not offer, a product-less pod on a pool that provisions by product...).
    """
    pool = node_pool(platform, pool_name)
    shape = _shape(pool, product, gpus, mig, sharing)
    renamed = pool.rename_by_default if rename is None else rename
    values = _placeholders(pool, product, shape, mig, mig_strategy, sharing, renamed, clients)
    labels = _fill(pool.labels, values)
    if spot:
        labels.update(pool.spot_labels)
    resources = _gpu_resources(pool, shape, mig, mig_strategy, sharing, renamed, clients)
    capacity = {**BASE_CAPACITY, **resources}
    taints = pool.taints + (pool.spot_taints if spot else ())
    return FakeNode(
        labels, tuple(dict(t) for t in taints), capacity, dict(capacity), shape.gpus, shape.instance
    )


def placement(
    platform: str | PlatformProfile,
    pool_name: str | None,
    product: GpuProduct | None,
    gpus: int,
    mig: str | None = None,
    sharing: str | None = None,
    *,
    mig_strategy: str = "mixed",
    rename: bool | None = None,
) -> Placement:
    """Selectors, instance types and tolerations a pod needs to land on the variant's node
    (`gpu_node` with the same arguments); raises Unplaceable like it."""
    profile = catalog.platform(platform) if isinstance(platform, str) else platform
    pool = node_pool(profile, pool_name)
    node = gpu_node(
        profile, pool.name, product, gpus, mig, sharing, mig_strategy=mig_strategy, rename=rename
    )
    selector = {k: node.labels[k] for k in pool.gpu_selector}
    for key in _pinning_labels(pool, mig):
        if key in node.labels:
            selector[key] = node.labels[key]
    pinned_by_type = product is not None and pool.product_label is None
    instance_types = _fitting_types(pool, product, node) if pinned_by_type and product else ()
    resource = next(name for name in node.allocatable if name.startswith("nvidia.com/"))
    tolerations = tuple(_toleration(t) for t in pool.taints)
    return Placement(selector, instance_types, tolerations, resource)


@dataclass(frozen=True)
class _Shape:
    gpus: int  # physical GPUs on the node
    instance: str | None


def _shape(
    pool: NodePool, product: GpuProduct | None, gpus: int, mig: str | None, sharing: str | None
) -> _Shape:
    where = f"node pool {pool.name}"
    if product is not None and product.vendor != "nvidia":
        raise Unplaceable(
            f"{where} has NVIDIA GPUs only, not {product.vendor} {product.key}", "product"
        )
    if product is None and pool.product_required:
        raise Unplaceable(
            f"{where} provisions GPU nodes by product: set resources.gpu.product", "product"
        )
    if product is not None and pool.product_label:
        _require_product_label(pool, product)
    if sharing is not None and sharing not in pool.sharing:
        offered = ", ".join(pool.sharing) or "none"
        raise Unplaceable(
            f"{where} cannot be configured for GPU {sharing} (offers: {offered})", "sharing"
        )
    physical = _physical_gpus(pool, product, gpus, mig)
    if pool.instance_types and product is not None:
        return _instance_shape(pool, product, physical)
    return _Shape(physical, None)


def _require_product_label(pool: NodePool, product: GpuProduct) -> None:
    assert pool.product_label is not None
    template = pool.labels[pool.product_label]
    values = {name: _product_value(product, name) for name in PLACEHOLDER.findall(template)}
    if any(value is None for value in values.values()):
        raise Unplaceable(
            f"node pool {pool.name} has no {pool.product_label} label for GPU {product.key}"
            " (the platform does not offer it there)",
            "product",
        )


def _physical_gpus(pool: NodePool, product: GpuProduct | None, gpus: int, mig: str | None) -> int:
    if not mig:
        return max(1, gpus)
    if pool.mig == "none":
        raise Unplaceable(f"node pool {pool.name} has no MIG-partitioned GPUs", "mig")
    if product is not None and mig not in product.mig_profiles:
        profiles = ", ".join(product.mig_profiles) or "none"
        raise Unplaceable(
            f"GPU {product.key} has no MIG profile {mig} (profiles: {profiles})", "mig"
        )
    return math.ceil(max(1, gpus) / _per_gpu(mig))


def _per_gpu(mig: str) -> int:
    match = MIG_PROFILE.match(mig)
    if not match:
        raise Unplaceable(f"MIG profile {mig!r} is not <compute>g.<memory>gb", "mig")
    return MIG_PER_GPU.get(int(match.group(1)), 1)


def _instance_shape(pool: NodePool, product: GpuProduct, physical: int) -> _Shape:
    types = _instance_types(pool, product)
    cloud = "AWS" if pool.instance_types == "aws" else "Azure"
    if not types:
        raise Unplaceable(
            f"node pool {pool.name}: {cloud} offers no instance type with {product.key} GPUs",
            "product",
        )
    fitting = [(count, name) for name, count in types.items() if count >= physical]
    if not fitting:
        raise Unplaceable(
            f"node pool {pool.name}: no {cloud} instance has {physical} {product.key} GPUs"
            f" (at most {max(types.values())} per instance)",
            "count",
        )
    count, name = min(fitting, key=lambda item: item[0])
    return _Shape(count, name)


def _instance_types(pool: NodePool, product: GpuProduct) -> dict[str, int]:
    if pool.instance_types == "aws":
        return product.aws_instance_types
    if pool.instance_types == "azure":
        return product.azure_vm_sizes
    return {}


def _fitting_types(pool: NodePool, product: GpuProduct, node: FakeNode) -> tuple[str, ...]:
    types = _instance_types(pool, product)
    return tuple(name for name, count in types.items() if count >= node.physical_gpus)


def _pinning_labels(pool: NodePool, mig: str | None) -> list[str]:
    """Labels a pod selects to pin the product (and the MIG partition on GKE)."""
    keys = [pool.product_label] if pool.product_label else []
    if mig and pool.mig == "gke":
        keys.append("cloud.google.com/gke-gpu-partition-size")
    return keys


def _placeholders(
    pool: NodePool,
    product: GpuProduct | None,
    shape: _Shape,
    mig: str | None,
    mig_strategy: str,
    sharing: str | None,
    renamed: bool,
    clients: int,
) -> dict[str, str | None]:
    shared = sharing is not None
    values: dict[str, str | None] = {
        "gpu_count": str(shape.gpus),
        "instance_type": shape.instance,
        "mig_profile": mig if mig and pool.mig == "gke" else None,
        "mig_strategy": mig_strategy if mig and pool.mig == "operator" else None,
        "gke_sharing_strategy": _gke_strategy(sharing) if pool.device_plugin == "gke" else None,
        "sharing_clients": str(clients) if shared and pool.device_plugin == "gke" else None,
        "gfd_replicas": str(clients) if sharing == "time-slicing" else "1",
        "gfd_product": None,
    }
    for name in ("gke_accelerator", "eks_gpu_name", "aks_gpu_name"):
        values[name] = _product_value(product, name) if product else None
    if product is not None:
        values["gfd_product"] = _gfd_product(product, mig, mig_strategy, sharing, renamed)
    return values


def _gke_strategy(sharing: str | None) -> str | None:
    return {"time-slicing": "time-sharing", "mps": "mps"}.get(sharing or "")


def _product_value(product: GpuProduct, name: str) -> str | None:
    if name == "gfd_product":
        return product.operator_label or None
    value = getattr(product, name, None)
    return str(value) if value else None


def _gfd_product(
    product: GpuProduct, mig: str | None, mig_strategy: str, sharing: str | None, renamed: bool
) -> str | None:
    """nvidia.com/gpu.product as GPU feature discovery writes it (internal/lm/resource.go)."""
    if not product.operator_label:
        return None
    parts = [product.operator_label]
    if mig and mig_strategy == "single":
        parts += ["MIG", mig]
    if sharing == "time-slicing" and not renamed:
        parts.append("SHARED")
    return "-".join(parts)


def _fill(templates: dict[str, str], values: dict[str, str | None]) -> dict[str, str]:
    labels = {}
    for key, template in templates.items():
        names = PLACEHOLDER.findall(template)
        if any(values.get(name) is None for name in names):
            continue
        labels[key] = PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template)
    return labels


def _gpu_resources(
    pool: NodePool,
    shape: _Shape,
    mig: str | None,
    mig_strategy: str,
    sharing: str | None,
    renamed: bool,
    clients: int,
) -> dict[str, str]:
    if mig:
        slices = shape.gpus * _per_gpu(mig)
        if pool.mig == "operator" and mig_strategy == "mixed":
            return {f"nvidia.com/mig-{mig}": str(slices)}
        return {GPU_RESOURCE: str(slices)}
    if sharing is None:
        return {GPU_RESOURCE: str(shape.gpus)}
    name = SHARED_RESOURCE if renamed and pool.device_plugin == "nvidia" else GPU_RESOURCE
    return {name: str(shape.gpus * clients)}


def _toleration(taint: dict[str, str]) -> dict[str, str]:
    # Exists: tolerates the key whatever value a cluster's admin gave the taint.
    return {"key": taint["key"], "operator": "Exists", "effect": taint["effect"]}
