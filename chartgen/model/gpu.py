"""Where GPUs are decided: resource name, node selection, tolerations, runtimeClass per platform."""

from __future__ import annotations

from typing import Any

from chartgen import catalog
from chartgen.catalog.profiles import GpuProduct, PlatformProfile
from chartgen.model.plan import GpuPlan, Obj


def plan_gpu(gpu_spec: dict[str, Any], platform: PlatformProfile, *, spot: bool) -> GpuPlan:
    count = int(gpu_spec.get("count", 0))
    vendor_name = str(gpu_spec.get("vendor", "nvidia"))
    product = _product(gpu_spec.get("product"))
    mig = gpu_spec.get("mig")
    if count == 0:
        return GpuPlan(
            0,
            None,
            vendor_name,
            None,
            None,
            _spot_selector(platform, spot),
            _spot_tolerations(platform, spot),
            None,
            None,
        )
    vendor = catalog.gpu_vendor(vendor_name)
    resource, mig_selector = _resource_and_mig_selector(
        vendor.resource, platform, product, mig, gpu_spec
    )
    if (
        gpu_spec.get("sharing", "none") != "none"
        and vendor.shared_resource
        and platform.name != "gke"
    ):
        resource = vendor.shared_resource
    selector = dict(platform.gpu_node_selector) if vendor_name == "nvidia" else {}
    selector.update(_product_selector(platform, product, mig_selector))
    selector.update(mig_selector)
    selector.update(_spot_selector(platform, spot))
    tolerations = (
        [dict(t) for t in platform.gpu_tolerations]
        if vendor_name == "nvidia"
        else [_vendor_toleration(vendor.resource)]
    )
    tolerations += _spot_tolerations(platform, spot)
    runtime_class = platform.runtime_class if vendor_name == "nvidia" else None
    memory = product.memory_gib if product else None
    return GpuPlan(
        count,
        resource,
        vendor_name,
        product.key if product else None,
        mig,
        selector,
        tolerations,
        runtime_class,
        memory,
    )


def _product(key: Any) -> GpuProduct | None:
    return catalog.gpu_product(str(key)) if key else None


def _resource_and_mig_selector(
    base: str,
    platform: PlatformProfile,
    product: GpuProduct | None,
    mig: Any,
    gpu_spec: dict[str, Any],
) -> tuple[str, dict[str, str]]:
    """MIG slices: a resource of their own (operator mixed), or the GPU resource plus a node label."""
    if not mig:
        return base, {}
    mixed = platform.mig_mode == "operator" and gpu_spec.get("migStrategy", "mixed") == "mixed"
    if mixed and platform.mig_resource_template:
        return platform.mig_resource_template.format(profile=mig), {}
    if not platform.mig_selector_key or not platform.mig_selector_value:
        return base, {}
    label = product.operator_label if product else ""
    return base, {
        platform.mig_selector_key: platform.mig_selector_value.format(
            profile=mig, operator_label=label
        )
    }


def _product_selector(
    platform: PlatformProfile, product: GpuProduct | None, mig_selector: dict[str, str]
) -> dict[str, str]:
    if product is None or not platform.product_selector_key or not platform.product_selector_attr:
        return {}
    if platform.product_selector_key in mig_selector:
        return {}
    value = getattr(product, platform.product_selector_attr, None)
    return {platform.product_selector_key: str(value)} if value else {}


def _vendor_toleration(resource: str) -> Obj:
    return {"key": resource, "operator": "Exists", "effect": "NoSchedule"}


def _spot_selector(platform: PlatformProfile, spot: bool) -> dict[str, str]:
    return dict(platform.spot_selector) if spot else {}


def _spot_tolerations(platform: PlatformProfile, spot: bool) -> list[Obj]:
    return [dict(t) for t in platform.spot_tolerations] if spot else []
