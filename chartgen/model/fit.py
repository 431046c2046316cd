"""Do the weights fit the GPUs? One pure computation, shared by the spec check and lint rules.

Per GPU the runtime needs its shard of the weights plus headroom for the KV cache: the KV cache of
one full-length sequence when the architecture is known, otherwise a documented share of the
weights (catalog weights.yaml). It has the GPU's memory (the total the driver reports, or a MIG
slice) times the runtime's memory utilisation (spec engine.gpuMemoryUtilization, else the runtime's
default from the catalog).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from chartgen import catalog
from chartgen.catalog.profiles import GpuProduct

GPU_COUNTS = (1, 2, 4, 8)  # tensor-parallel sizes one node offers
MIG_MEMORY = re.compile(r"\.(\d+)gb$")
GB_IN_GIB = 1e9 / 2**30  # MIG profile names state decimal GB


@dataclass(frozen=True)
class Architecture:
    """What sizes the KV cache: bytes per token = 2 (K and V) x layers x kvHeads x headDim x width."""

    layers: int
    kv_heads: int
    head_dim: int
    context_tokens: int | None = None


@dataclass(frozen=True)
class Footprint:
    weights_gib: float
    weights_basis: str  # how the weights were sized, for messages
    kv_gib: float | None  # KV cache of one full-length sequence (whole model); None: use headroom
    kv_basis: str
    adapters_gib: float = 0.0  # LoRA adapter slots, on every GPU (not sharded by default)


@dataclass(frozen=True)
class GpuFit:
    fits: bool
    gpus: int
    product: str | None  # "L4", "A100-80GB MIG 3g.40gb"; None when the spec pins no product
    needed_gib: float  # per GPU
    available_gib: float | None  # per GPU: memory x utilisation; None without a product
    utilization: float
    smallest_gpus: int | None  # fewest GPUs of this product that fit (None: not within one node)
    options: tuple[tuple[int, str], ...]  # (count, smallest catalog product that fits at it)
    assumption: str

    def needs(self) -> str:
        """'2 x H200-141GB, 4 x H100-80GB, ...': what would fit, for messages."""
        if self.smallest_gpus and self.product:
            return f"{self.smallest_gpus} x {self.product}"
        return ", ".join(f"{n} x {p}" for n, p in self.options) or "more than one node of GPUs"


def weights_gib(
    size_gib: float | None,
    parameters_billion: float | None,
    dtype: str = "auto",
    quantization: str | None = None,
) -> tuple[float, str] | None:
    """(GiB, basis): model.sizeGiB when given, else parameters x the width of the quantization
    (or dtype); None when neither is known."""
    if size_gib is not None:
        return float(size_gib), f"model.sizeGiB {size_gib:g}"
    if parameters_billion is None:
        return None
    table = catalog.weights()
    precision = table.quantizations.get(quantization or "") if quantization else None
    if quantization and precision is None:
        return None
    width = precision or table.dtypes.get(dtype, table.dtypes["auto"])
    label = f"quantization {quantization}" if quantization else f"dtype {dtype}"
    gib = parameters_billion * 1e9 * width.bytes_per_parameter / 2**30
    return (
        gib,
        f"{parameters_billion:g}B parameters x {width.bytes_per_parameter:g} bytes ({label})",
    )


def footprint(
    size_gib: float | None,
    parameters_billion: float | None = None,
    *,
    dtype: str = "auto",
    quantization: str | None = None,
    architecture: Architecture | None = None,
    context_tokens: int | None = None,
    kv_cache_dtype: str = "auto",
    adapters_gib: float = 0.0,
) -> Footprint | None:
    weights = weights_gib(size_gib, parameters_billion, dtype, quantization)
    if weights is None:
        return None
    table = catalog.weights()
    adapters = f"; LoRA adapters {adapters_gib:g} GiB per GPU" if adapters_gib else ""
    tokens = context_tokens or (architecture.context_tokens if architecture else None)
    if architecture is None or tokens is None:
        basis = (
            f"KV headroom {table.headroom_fraction:.0%} of the weights, at least "
            f"{table.reserve_gib:g} GiB per GPU (no model.architecture with a context length)"
        )
        return Footprint(weights[0], weights[1], None, basis + adapters, adapters_gib)
    width = table.kv_cache_dtypes.get(kv_cache_dtype) or table.dtypes.get(
        dtype, table.dtypes["auto"]
    )
    per_token = (
        2 * architecture.layers * architecture.kv_heads * architecture.head_dim
    ) * width.bytes_per_parameter
    kv = per_token * tokens / 2**30
    basis = f"KV cache {per_token / 1024:g} KiB/token x {tokens} tokens"
    if kv_cache_dtype in table.kv_cache_dtypes:
        basis += f" ({kv_cache_dtype})"
    return Footprint(weights[0], weights[1], kv, basis + adapters, adapters_gib)


def needed_gib(fp: Footprint, shards: int) -> float:
    """GiB one GPU holds when the model is split over `shards` GPUs."""
    table = catalog.weights()
    weights = fp.weights_gib / shards
    if fp.kv_gib is not None:
        return weights + fp.kv_gib / shards + table.reserve_gib + fp.adapters_gib
    return weights + max(table.headroom_fraction * weights, table.reserve_gib) + fp.adapters_gib


def memory_gib(product: GpuProduct, mig: str | None = None) -> float:
    """Memory of one GPU (the driver's total) or of one MIG slice (from its profile name)."""
    if mig:
        found = MIG_MEMORY.search(mig)
        if found:
            return int(found.group(1)) * GB_IN_GIB
    return product.memory_mib / 1024


def gpu_fit(
    fp: Footprint,
    *,
    gpus: int,
    utilization: float,
    product: GpuProduct | None = None,
    mig: str | None = None,
    vendor: str = "nvidia",
) -> GpuFit:
    needed = needed_gib(fp, gpus)
    options = _options(fp, utilization, vendor)
    assumption = f"{fp.weights_basis}; {fp.kv_basis}; {utilization:g} of GPU memory usable"
    if product is None:
        fits = any(count == gpus for count, _ in options)
        return GpuFit(fits, gpus, None, needed, None, utilization, None, options, assumption)
    available = memory_gib(product, mig) * utilization
    smallest = next(
        (n for n in GPU_COUNTS if needed_gib(fp, n) <= available),
        None,
    )
    name = f"{product.key} MIG {mig}" if mig else product.key
    fits = needed <= available
    return GpuFit(fits, gpus, name, needed, available, utilization, smallest, options, assumption)


def _options(fp: Footprint, utilization: float, vendor: str) -> tuple[tuple[int, str], ...]:
    """For each GPU count, the smallest catalog product of the vendor that holds the model."""
    products = sorted(
        (p for p in catalog.gpu_products() if p.vendor == vendor), key=lambda p: p.memory_mib
    )
    found = []
    for count in GPU_COUNTS:
        need = needed_gib(fp, count)
        match = next((p for p in products if memory_gib(p) * utilization >= need), None)
        if match is not None:
            found.append((count, match.key))
    return tuple(found)


def spec_fit(document: dict[str, Any]) -> GpuFit | None:
    """The fit of a schema-valid spec document; None when it has no GPUs or no known size."""
    spec = document.get("spec", {})
    gpu = spec.get("resources", {}).get("gpu", {})
    gpus = int(gpu.get("count", 0))
    if gpus <= 0:
        return None
    fp = spec_footprint(spec)
    if fp is None:
        return None
    product = _known_product(gpu.get("product"))
    mig = str(gpu["mig"]) if gpu.get("mig") else None
    if (mig and product is None) or (
        gpu.get("product") is not None
        and (product is None or (mig and mig not in product.mig_profiles))
    ):
        return None  # unknown product or MIG profile: reported by their own checks
    return gpu_fit(
        fp,
        gpus=gpus,
        utilization=_utilization(spec),
        product=product,
        mig=mig,
        vendor=str(gpu.get("vendor", product.vendor if product else "nvidia")),
    )


def spec_footprint(spec: dict[str, Any]) -> Footprint | None:
    model, engine = spec.get("model", {}), spec.get("engine", {})
    arch = model.get("architecture")
    architecture = (
        Architecture(
            int(arch["layers"]),
            int(arch["kvHeads"]),
            int(arch["headDim"]),
            int(arch["contextLength"]) if "contextLength" in arch else None,
        )
        if isinstance(arch, dict)
        else None
    )
    size = model.get("sizeGiB")
    params = model.get("parametersBillion")
    return footprint(
        float(size) if size is not None else None,
        float(params) if params is not None else None,
        dtype=str(engine.get("dtype", "auto")),
        quantization=str(engine["quantization"]) if engine.get("quantization") else None,
        architecture=architecture,
        context_tokens=int(engine["maxModelLen"]) if "maxModelLen" in engine else None,
        kv_cache_dtype=str(engine.get("kvCacheDtype", "auto")),
        adapters_gib=adapters_gib(model.get("loras", [])),
    )


def adapters_gib(loras: list[dict[str, Any]]) -> float:
    """GPU memory of the LoRA adapter slots: one per adapter (chartgen sets --max-loras to their
    count), each its model.loras[].sizeGiB or the catalog's estimate."""
    default = catalog.weights().lora_adapter_gib
    return float(sum(float(lora.get("sizeGiB", default)) for lora in loras))


def _utilization(spec: dict[str, Any]) -> float:
    engine = spec.get("engine", {})
    if "gpuMemoryUtilization" in engine and spec.get("runtime") != "custom":
        return float(engine["gpuMemoryUtilization"])
    return catalog.runtime(str(spec.get("runtime", "custom"))).gpu_memory_fraction


def _known_product(key: Any) -> GpuProduct | None:
    if key is None:
        return None
    folded = {k.casefold(): k for k in catalog.gpu_product_keys()}
    name = folded.get(str(key).casefold())
    return catalog.gpu_product(name) if name else None
