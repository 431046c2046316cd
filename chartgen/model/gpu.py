"""Where GPUs are decided: resource name, node selection, tolerations, runtimeClass per platform.

Selectors, instance types and resource names come from the node-pool variant the spec targets
(chartgen.catalog.nodes.placement), so they are labels and resources that variant's nodes have.
"""

from __future__ import annotations

from typing import Any

from chartgen import catalog
from chartgen.catalog.nodes import node_pool, placement
from chartgen.catalog.profiles import GpuProduct, NodePool, PlatformProfile
from chartgen.model.plan import GpuPlan, Toleration


def plan_gpu(
    gpu_spec: dict[str, Any], platform: PlatformProfile, scheduling: dict[str, Any]
) -> GpuPlan:
    pool = node_pool(platform, scheduling.get("nodePool"))
    spot = bool(scheduling.get("spot", False))
    count = int(gpu_spec.get("count", 0))
    vendor_name = str(gpu_spec.get("vendor", "nvidia"))
    product = _product(gpu_spec.get("product"))
    mig = str(gpu_spec["mig"]) if gpu_spec.get("mig") else None
    spot_selector = dict(pool.spot_labels) if spot else {}
    spot_tolerations = _tolerations(pool.spot_taints) if spot else ()
    if count == 0:
        return GpuPlan(
            0, None, vendor_name, None, None, spot_selector, spot_tolerations, None, None,
            pool.name,
        )  # fmt: skip
    memory = product.memory_gib if product else None
    if vendor_name != "nvidia":
        resource = catalog.gpu_vendor(vendor_name).resource
        tolerations = (_vendor_toleration(resource), *spot_tolerations)
        key = product.key if product else None
        return GpuPlan(
            count, resource, vendor_name, key, mig, spot_selector, tolerations, None, memory,
            pool.name,
        )  # fmt: skip
    sharing = str(gpu_spec.get("sharing", "none"))
    wanted = placement(
        platform,
        pool.name,
        product,
        count,
        mig,
        None if sharing == "none" else sharing,
        mig_strategy=str(gpu_spec.get("migStrategy", "mixed")),
        rename=gpu_spec.get("renameByDefault"),
    )
    tolerations = _merged(
        tuple(catalog_toleration(t) for t in platform.gpu_tolerations),
        tuple(catalog_toleration(t) for t in wanted.tolerations),
        spot_tolerations,
    )
    return GpuPlan(
        count,
        wanted.resource,
        vendor_name,
        product.key if product else None,
        mig,
        {**wanted.node_selector, **spot_selector},
        tolerations,
        platform.runtime_class,
        memory,
        pool.name,
        wanted.instance_types,
    )


def _product(key: Any) -> GpuProduct | None:
    return catalog.gpu_product(str(key)) if key else None


def _tolerations(taints: tuple[dict[str, str], ...]) -> tuple[Toleration, ...]:
    return tuple(Toleration(t["key"], t["effect"]) for t in taints)


def catalog_toleration(toleration: dict[str, str]) -> Toleration:
    """A toleration as the catalog writes it (key, operator, value for Equal, effect)."""
    return Toleration(
        toleration["key"],
        toleration["effect"],
        toleration.get("operator", "Exists"),
        toleration.get("value"),
    )


def _merged(*groups: tuple[Toleration, ...]) -> tuple[Toleration, ...]:
    """Tolerations in order, one per (key, effect)."""
    seen: set[tuple[str, str]] = set()
    merged = []
    for toleration in (t for group in groups for t in group):
        identity = (toleration.key, toleration.effect)
        if identity not in seen:
            seen.add(identity)
            merged.append(toleration)
    return tuple(merged)


def _vendor_toleration(resource: str) -> Toleration:
    return Toleration(resource, "NoSchedule")


def variant(platform: PlatformProfile, scheduling: dict[str, Any]) -> NodePool:
    """The node-pool variant a spec targets (its scheduling.nodePool, or the platform default)."""
    return node_pool(platform, scheduling.get("nodePool"))
