"""Semantic checks of accelerators: parallelism vs GPU count, catalog products, MIG, GPU sharing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from chartgen.findings import Issue
from chartgen.spec.issues import ERROR, WARNING, get, issue, max_replicas
from chartgen.spec.schema_messages import suggestion

if TYPE_CHECKING:
    from chartgen.model.fit import GpuFit


def check_parallelism(doc: dict[str, Any]) -> Iterator[Issue]:
    tensor = get(doc, "spec.engine.tensorParallel")
    pipeline = get(doc, "spec.engine.pipelineParallel")
    if tensor is None and pipeline is None:
        return
    gpus = int(get(doc, "spec.resources.gpu.count", 0))
    product = int(tensor or 1) * int(pipeline or 1)
    if gpus == 0 and product > 1:
        yield issue(
            ERROR,
            "$.spec.engine",
            f"tensorParallel x pipelineParallel = {product} needs GPUs, "
            "but resources.gpu.count is 0",
        )
    elif gpus and tensor is not None and product != gpus:
        path = "$.spec.engine.tensorParallel"
        yield issue(
            ERROR,
            path,
            f"tensorParallel x pipelineParallel = {product} must equal "
            f"resources.gpu.count ({gpus}); otherwise the engine fails or misplaces shards",
        )
    elif gpus and tensor is None and gpus % int(pipeline) != 0:
        yield issue(
            ERROR,
            "$.spec.engine.pipelineParallel",
            f"pipelineParallel {pipeline} does not divide resources.gpu.count ({gpus})",
        )


def check_parallelism_supported(doc: dict[str, Any]) -> Iterator[Issue]:
    from chartgen import catalog

    name = str(get(doc, "spec.runtime"))
    if name == "custom":
        return
    mappings = catalog.runtime(name).args
    for field, arg in (
        ("tensorParallel", "tensor_parallel"),
        ("pipelineParallel", "pipeline_parallel"),
    ):
        value = get(doc, f"spec.engine.{field}")
        mapping = mappings.get(arg)
        if value and int(value) > 1 and (mapping is None or not (mapping.flag or mapping.env)):
            yield issue(
                ERROR,
                f"$.spec.engine.{field}",
                f"runtime {name} has no {field} option; "
                "remove it (or pass the runtime's own flag in engine.extraArgs)",
            )


ENGINE_OPTIONS = {"dtype": "dtype", "quantization": "quantization"}  # spec.engine key -> args key


def check_engine_values(doc: dict[str, Any]) -> Iterator[Issue]:
    """Engine options the runtime only accepts from a closed set (TGI's DTYPE)."""
    from chartgen import catalog

    name = str(get(doc, "spec.runtime"))
    if name == "custom":
        return
    mappings = catalog.runtime(name).args
    for field, arg in ENGINE_OPTIONS.items():
        value = get(doc, f"spec.engine.{field}")
        mapping = mappings.get(arg)
        if (
            value is not None
            and mapping is not None
            and mapping.values
            and str(value) not in mapping.values
        ):
            allowed = ", ".join(mapping.values)
            yield issue(
                ERROR,
                f"$.spec.engine.{field}",
                f"runtime {name} accepts {field} {allowed}; got {value!r}",
            )


def check_gpu_product(doc: dict[str, Any]) -> Iterator[Issue]:
    from chartgen import catalog

    product = get(doc, "spec.resources.gpu.product")
    if product is None:
        return
    keys = list(catalog.gpu_product_keys())
    if product not in keys:
        hint = suggestion(str(product), keys) or f" (known: {', '.join(sorted(keys))})"
        yield issue(ERROR, "$.spec.resources.gpu.product", f"unknown GPU product {product!r}{hint}")
    elif catalog.gpu_product(product).vendor != get(doc, "spec.resources.gpu.vendor", "nvidia"):
        vendor = catalog.gpu_product(product).vendor
        yield issue(
            ERROR,
            "$.spec.resources.gpu.vendor",
            f"GPU product {product} is made by {vendor}; set resources.gpu.vendor: {vendor}",
        )


def check_mig(doc: dict[str, Any]) -> Iterator[Issue]:
    from chartgen import catalog

    mig = get(doc, "spec.resources.gpu.mig")
    if mig is None:
        return
    path = "$.spec.resources.gpu.mig"
    if get(doc, "spec.resources.gpu.vendor", "nvidia") != "nvidia":
        yield issue(ERROR, path, "MIG is an NVIDIA feature; resources.gpu.vendor must be nvidia")
        return
    product = get(doc, "spec.resources.gpu.product")
    if product is None:
        yield issue(
            WARNING,
            path,
            "set resources.gpu.product so chartgen can check the MIG profile "
            "and pin nodes with that partitioning",
        )
        return
    if product not in catalog.gpu_product_keys():
        return  # reported by check_gpu_product
    profiles = catalog.gpu_product(product).mig_profiles
    if not profiles:
        yield issue(ERROR, path, f"GPU product {product} does not support MIG")
    elif mig not in profiles:
        yield issue(
            ERROR,
            path,
            f"MIG profile {mig!r} does not exist on {product}; "
            f"valid profiles: {', '.join(profiles)}",
        )


def check_gpu_fields_need_count(doc: dict[str, Any]) -> Iterator[Issue]:
    gpu = get(doc, "spec.resources.gpu", {})
    if int(gpu.get("count", 0)) != 0:
        return
    for field in ("vendor", "product", "mig", "migStrategy", "sharing"):
        if field in gpu:
            yield issue(
                ERROR,
                f"$.spec.resources.gpu.{field}",
                f"resources.gpu.{field} is set but "
                "resources.gpu.count is 0 (CPU only); set the GPU count",
            )
    if get(doc, "spec.engine.gpuMemoryUtilization") is not None:
        yield issue(
            WARNING,
            "$.spec.engine.gpuMemoryUtilization",
            "gpuMemoryUtilization has no effect without GPUs (resources.gpu.count is 0)",
        )


def check_shared_gpu(doc: dict[str, Any]) -> Iterator[Issue]:
    sharing = get(doc, "spec.resources.gpu.sharing", "none")
    if sharing == "none":
        return
    gpus = int(get(doc, "spec.resources.gpu.count", 0))
    if get(doc, "spec.platform") == "gke" and gpus > 1:
        yield issue(
            ERROR,
            "$.spec.resources.gpu.count",
            f"GKE GPU {sharing} allows at most 1 GPU per container; use count 1 or sharing none",
        )
    utilization = get(doc, "spec.engine.gpuMemoryUtilization")
    sharers = max(2, max_replicas(doc))
    if utilization is not None and float(utilization) > 1 / sharers:
        yield issue(
            ERROR,
            "$.spec.engine.gpuMemoryUtilization",
            f"with GPU {sharing} there is no memory "
            f"isolation: {sharers} pods may share a GPU, so gpuMemoryUtilization must be "
            f"<= {1 / sharers:.2f}, got {utilization}",
        )
    elif utilization is None and _has_runtime_arg(doc, "gpu_memory_utilization"):
        yield issue(
            WARNING,
            "$.spec.resources.gpu.sharing",
            f"with GPU {sharing} set "
            "engine.gpuMemoryUtilization: the runtime's default assumes a whole GPU",
        )


def _has_runtime_arg(doc: dict[str, Any], arg: str) -> bool:
    from chartgen import catalog

    name = str(get(doc, "spec.runtime"))
    return name != "custom" and arg in catalog.runtime(name).args


def check_gpu_fit(doc: dict[str, Any]) -> Iterator[Issue]:
    """Weights plus KV headroom per GPU against the GPU's usable memory (chartgen/model/fit.py)."""
    from chartgen import catalog
    from chartgen.model.fit import spec_fit

    fit = spec_fit(doc)
    if fit is None:
        return
    per_gpu = f"{fit.needed_gib:.1f} GiB per GPU"
    why = f"({fit.assumption})"
    if fit.product is not None and fit.available_gib is not None:
        if not fit.fits:
            yield issue(
                ERROR,
                "$.spec.resources.gpu.count",
                f"the model does not fit {fit.gpus} x {fit.product}: it needs {per_gpu}, "
                f"{fit.available_gib:.1f} GiB usable; {_beyond(fit)}use {fit.needs()} {why}",
            )
        return
    vendor = str(get(doc, "spec.resources.gpu.vendor", "nvidia"))
    if not any(p.vendor == vendor for p in catalog.gpu_products()):
        yield issue(
            WARNING,
            "$.spec.resources.gpu.vendor",
            f"the catalog lists no {vendor} GPU product, so the fit of {per_gpu} is unchecked",
        )
        return
    if not fit.fits:
        yield issue(
            ERROR,
            "$.spec.resources.gpu.count",
            f"no catalog GPU holds the model on {fit.gpus} GPU(s) ({per_gpu}); "
            f"use {fit.needs()} {why}",
        )
        return
    smallest = next(p for n, p in fit.options if n == fit.gpus)
    yield issue(
        WARNING,
        "$.spec.resources.gpu",
        f"resources.gpu.product is not set: the model needs {per_gpu}, so this assumes "
        f"{smallest} or larger {why}; set the product to check the fit and pin nodes",
    )


def _beyond(fit: GpuFit) -> str:
    return "" if fit.smallest_gpus else f"no count of {fit.product} within one node fits; "


GPU_FIELD_PATHS = {
    "product": "$.spec.resources.gpu.product",
    "mig": "$.spec.resources.gpu.mig",
    "sharing": "$.spec.resources.gpu.sharing",
    "count": "$.spec.resources.gpu.count",
}


def check_node_pool(doc: dict[str, Any]) -> Iterator[Issue]:
    """The GPUs asked for exist on the targeted node-pool variant, with the labels the chart
    selects; otherwise the pods would stay Pending."""
    from chartgen import catalog

    platform = catalog.platform(str(get(doc, "spec.platform", "generic")))
    pool = get(doc, "spec.scheduling.nodePool")
    if pool is not None and pool not in platform.node_pools:
        yield issue(
            ERROR,
            "$.spec.scheduling.nodePool",
            f"platform {platform.name} has no node pool {pool!r};"
            f" its variants: {', '.join(platform.node_pools)}",
        )
        return
    request = _placement_request(doc)
    if request is None:
        return
    problem = _unplaceable(platform.name, pool, request)
    if problem is None:
        return
    others = [
        name
        for name in platform.node_pools
        if name != pool and _unplaceable(platform.name, name, request) is None
    ]
    hint = f"; scheduling.nodePool {' or '.join(others)} can host it" if others else ""
    path = GPU_FIELD_PATHS[problem.field]
    if problem.field == "product" and get(doc, "spec.resources.gpu.product") is None:
        path = "$.spec.resources.gpu"
    yield issue(ERROR, path, f"{problem.message} (platform {platform.name}{hint})")


def _placement_request(doc: dict[str, Any]) -> dict[str, Any] | None:
    """The GPU request as catalog.nodes.placement takes it; None when there is nothing to place
    or another check reports the request itself (unknown product, MIG profile, vendor)."""
    from chartgen import catalog

    gpu = get(doc, "spec.resources.gpu", {})
    if int(gpu.get("count", 0)) == 0 or gpu.get("vendor", "nvidia") != "nvidia":
        return None
    key = gpu.get("product")
    if key is not None and key not in catalog.gpu_product_keys():
        return None
    product = catalog.gpu_product(key) if key is not None else None
    mig = gpu.get("mig")
    if product is not None and (
        product.vendor != "nvidia" or (mig and mig not in product.mig_profiles)
    ):
        return None
    sharing = gpu.get("sharing", "none")
    from chartgen.model.multinode import group_shape

    return {
        "product": product,
        "gpus": group_shape(doc.get("spec", {})).per_node,  # one pod per node
        "mig": mig,
        "sharing": None if sharing == "none" else sharing,
        "mig_strategy": gpu.get("migStrategy", "mixed"),
        "rename": gpu.get("renameByDefault"),
    }


def _unplaceable(platform: str, pool: str | None, request: dict[str, Any]) -> Any:
    from chartgen.catalog.nodes import Unplaceable, placement

    try:
        placement(
            platform,
            pool,
            request["product"],
            request["gpus"],
            request["mig"],
            request["sharing"],
            mig_strategy=request["mig_strategy"],
            rename=request["rename"],
        )
    except Unplaceable as problem:
        return problem
    return None


def check_vendor_image(doc: dict[str, Any]) -> Iterator[Issue]:
    """AMD and Intel GPUs need the runtime's ROCm / XPU build; the CUDA image cannot use them."""
    from chartgen import catalog

    vendor = str(get(doc, "spec.resources.gpu.vendor", "nvidia"))
    name = str(get(doc, "spec.runtime"))
    if vendor == "nvidia" or name == "custom" or not get(doc, "spec.resources.gpu.count", 0):
        return
    if get(doc, "spec.image.repository") is not None:
        return  # the user brings a build for that vendor
    runtime = catalog.runtime(name)
    if vendor not in runtime.vendor_images:
        yield issue(
            ERROR,
            "$.spec.resources.gpu.vendor",
            f"runtime {name} {runtime.image_tag} has no image for {vendor} GPUs (its image is a "
            f"CUDA build); use NVIDIA GPUs, another runtime, or set image.repository and "
            f"image.tag to a {vendor} build",
        )
