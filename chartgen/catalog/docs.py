"""docs/runtimes.md and docs/platforms.md, generated from the catalog so they cannot drift.

Regenerate with `python -m chartgen.catalog.docs` from the repository root.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from chartgen import catalog
from chartgen.catalog.load import stated_facts
from chartgen.catalog.profiles import (
    ArgMapping,
    Endpoint,
    GpuProduct,
    NodePool,
    PlatformProfile,
    RuntimeProfile,
    StorageFacts,
)

REGENERATE = (
    "<!-- Generated from chartgen/catalog/ by `python -m chartgen.catalog.docs`;"
    " do not edit by hand. -->"
)
RUNTIME_COLUMNS = (
    "Runtime",
    "Image",
    "Ports",
    "Probes (startup / readiness / liveness)",
    "Metrics",
    "Queue metric",
    "Drain",
    "Non-root",
)
PLATFORM_COLUMNS = (
    "Platform",
    "GPU node selector",
    "Product selector",
    "MIG",
    "GPU tolerations",
    "runtimeClassName",
    "Spot",
    "Fixed UID",
)
POOL_COLUMNS = (
    "Node pool",
    "GPU node labels",
    "Product pinned by",
    "Taints",
    "MIG",
    "Sharing",
    "Default StorageClass",
    "Fixed UID",
)
VENDOR_COLUMNS = ("Vendor", "Resource", "Shared resource", "Visible devices env", "Source")
PRODUCT_COLUMNS = (
    "Product",
    "Vendor",
    "Memory (GB)",
    "nvidia.com/gpu.product",
    "GKE accelerator",
    "EKS GPU name",
    "AKS GPU name",
    "MIG profiles",
)


def render_runtimes_md() -> str:
    runtimes = [catalog.runtime(name) for name in catalog.runtime_names()]
    parts = [
        "# Serving runtimes",
        REGENERATE,
        "What chartgen knows about each `spec.runtime`: image, ports, probe endpoints,"
        " metrics and how spec options reach the server. `{served_name}` in a path is"
        " replaced by the served model name.",
        _table(RUNTIME_COLUMNS, [_runtime_row(r) for r in runtimes]),
    ]
    parts += [_runtime_details(r) for r in runtimes]
    parts.append(_inference_extension_details())
    return "\n\n".join(parts) + "\n"


def _inference_extension_details() -> str:
    """exposure.type inferencepool: the InferencePool API and its endpoint picker."""
    ext = catalog.inference_extension()
    facts = [
        (name, _value(getattr(ext, name)))
        for name in _fact_names(ext, {"sources", "config", "model_servers"})
    ]
    facts.append(("model_servers", ", ".join(f"`{name}`" for name in ext.model_servers)))
    facts.append(("config", "the EPP's `EndpointPickerConfig` (catalog/inference_extension.yaml)"))
    rows = [(f"`{fact}`", value, ext.sources[fact]) for fact, value in facts]
    notes = (
        "`exposure.type: inferencepool` routes a Gateway's HTTPRoute to an InferencePool over the"
        " model server pods; the Gateway asks the endpoint picker (EPP) which pod serves each"
        " request. Runtimes the picker reads metrics of are listed under `model_servers`."
    )
    return _section("## Gateway API Inference Extension", notes, rows)


def render_platforms_md() -> str:
    platforms = [catalog.platform(name) for name in catalog.platform_names()]
    vendors = [catalog.gpu_vendor(name) for name in catalog.gpu_vendor_names()]
    parts = [
        "# Platforms and GPUs",
        REGENERATE,
        "How GPU pods are placed on each `spec.platform`, and the GPU products"
        " `resources.gpu.product` accepts.",
        _table(PLATFORM_COLUMNS, [_platform_row(p) for p in platforms]),
        "## GPU vendors",
        _table(
            VENDOR_COLUMNS,
            [
                (
                    v.name,
                    _code(v.resource),
                    _code(v.shared_resource),
                    _code(v.visible_devices_env),
                    v.source,
                )
                for v in vendors
            ],
        ),
        "## GPU products",
        _table(PRODUCT_COLUMNS, [_product_row(p) for p in catalog.gpu_products()]),
    ]
    for platform in platforms:
        parts.append(_platform_details(platform))
        parts.append(_pool_table(platform))
        parts += [_pool_details(platform, pool) for pool in platform.node_pools.values()]
    parts += [_product_details(p) for p in catalog.gpu_products()]
    return "\n\n".join(parts) + "\n"


def _runtime_row(runtime: RuntimeProfile) -> tuple[str, ...]:
    ports = ", ".join(
        f"{name} {port}" for name, port in dataclasses.asdict(runtime.ports).items() if port
    )
    probes = " / ".join(
        _endpoint(e) for e in (runtime.startup, runtime.readiness, runtime.liveness)
    )
    drain = runtime.args.get("drain_timeout")
    drain_text = (
        f"{_code(drain.flag)}, {runtime.drain_seconds} s" if drain else f"{runtime.drain_seconds} s"
    )
    image = (
        f"`{runtime.image_repository}:{runtime.image_tag}`"
        if runtime.image_repository
        else "spec-provided"
    )
    return (
        f"`{runtime.name}` ({runtime.title})",
        image,
        ports,
        probes,
        _endpoint(runtime.metrics),
        _code(runtime.queue_metric),
        drain_text,
        _yes(runtime.runs_as_non_root),
    )


def _runtime_details(runtime: RuntimeProfile) -> str:
    facts = [
        (name, _value(getattr(runtime, name)))
        for name in _fact_names(runtime, {"name", "args", "sources", "notes"})
    ]
    facts += [(f"args.{key}", _arg(mapping)) for key, mapping in runtime.args.items()]
    rows = [(f"`{fact}`", value, runtime.sources[fact]) for fact, value in facts]
    return _section(f"## {runtime.title} (`{runtime.name}`)", runtime.notes, rows)


def _platform_row(platform: PlatformProfile) -> tuple[str, ...]:
    product = (
        f"`{platform.product_selector_key}` = `{platform.product_selector_attr}`"
        if platform.product_selector_key
        else "none"
    )
    mig = _mig(platform)
    spot = _labels(platform.spot_selector) + (" + toleration" if platform.spot_tolerations else "")
    automatic = " (also added by the platform)" if platform.tolerations_automatic else ""
    return (
        f"`{platform.name}` ({platform.title})",
        _labels(platform.gpu_node_selector),
        product,
        mig,
        _tolerations(platform.gpu_tolerations) + automatic,
        _code(platform.runtime_class),
        spot,
        _yes(platform.fixed_uid_allowed),
    )


def _mig(platform: PlatformProfile) -> str:
    single = f"`nvidia.com/gpu` + `{platform.mig_selector_key}={platform.mig_selector_value}`"
    if platform.mig_resource_template is None:
        return single
    return f"mixed: `{platform.mig_resource_template}`; single: {single}"


def _platform_details(platform: PlatformProfile) -> str:
    rows = [
        (f"`{name}`", _value(getattr(platform, name)), platform.sources[name])
        for name in _fact_names(platform, {"name", "sources", "notes"})
    ]
    return _section(f"## {platform.title} (`{platform.name}`)", platform.notes, rows)


def _pool_table(platform: PlatformProfile) -> str:
    intro = (
        f"### Node pools on {platform.title}\n\nThe variants `spec.platform: {platform.name}`"
        " can target; placeholders such as `{gke_accelerator}` are filled from the GPU product."
    )
    rows = [_pool_row(pool) for pool in platform.node_pools.values()]
    return intro + "\n\n" + _table(POOL_COLUMNS, rows)


def _pool_row(pool: NodePool) -> tuple[str, ...]:
    name = f"`{pool.name}`" + (" (default)" if pool.default else "")
    pinned = (
        f"`{pool.product_label}`"
        if pool.product_label
        else f"`node.kubernetes.io/instance-type` ({pool.instance_types})"
    )
    return (
        f"{name}: {pool.title}",
        _labels(pool.labels),
        pinned,
        _taints(pool.taints),
        pool.mig,
        ", ".join(pool.sharing) or "none",
        _storage(pool.storage),
        _yes(pool.fixed_uid_allowed),
    )


def _pool_details(platform: PlatformProfile, pool: NodePool) -> str:
    skipped = {"name", "title", "default", "sources", "notes"}
    rows = [
        (f"`{name}`", _pool_value(getattr(pool, name)), pool.sources[name])
        for name in _fact_names(pool, skipped)
    ]
    return _section(f"#### `{platform.name}` node pool `{pool.name}`", pool.notes, rows)


def _pool_value(value: object) -> str:
    if isinstance(value, StorageFacts):
        return _storage(value)
    if isinstance(value, tuple) and value and isinstance(value[0], Mapping):
        return _taints(value)
    return _value(value)


def _storage(storage: StorageFacts) -> str:
    if storage.default_class is None:
        text = "no default class" + (
            f" (docs create `{storage.documented_class}`)" if storage.documented_class else ""
        )
    else:
        modes = ", ".join(storage.access_modes)
        text = (
            f"`{storage.default_class}` ({storage.provisioner}; {modes};"
            f" {storage.binding_mode}{'; zonal' if storage.zonal else ''})"
        )
    return text + (f"; RWX: `{storage.rwx_class}`" if storage.rwx_class else "")


def _taints(taints: Sequence[Mapping[str, str]]) -> str:
    shown = [
        f"`{t['key']}{'=' + t['value'] if 'value' in t else ''}:{t['effect']}`" for t in taints
    ]
    return ", ".join(shown) or "none"


def _product_row(product: GpuProduct) -> tuple[str, ...]:
    return (
        f"`{product.key}`",
        product.vendor,
        str(product.memory_gib),
        _code(product.operator_label or None),
        _code(product.gke_accelerator),
        _code(product.eks_gpu_name),
        _code(product.aks_gpu_name),
        ", ".join(product.mig_profiles) or "none",
    )


def _product_details(product: GpuProduct) -> str:
    skipped = {"key", "vendor", "source", "sources", "notes"}
    rows = [
        (f"`{name}`", _value(getattr(product, name)), product.sources[name])
        for name in _fact_names(product, skipped)
    ]
    return _section(f"### GPU `{product.key}`", product.notes, rows)


def _section(title: str, notes: str, rows: Sequence[tuple[str, str, str]]) -> str:
    body = [title]
    if notes:
        body.append(notes)
    body.append(_table(("Fact", "Value", "Source"), rows))
    return "\n\n".join(body)


def _fact_names(record: object, skipped: set[str]) -> list[str]:
    stated = stated_facts(record)
    names = [f.name for f in dataclasses.fields(record)]  # type: ignore[arg-type]
    return [name for name in names if name not in skipped and name in stated]


def _table(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = [_line(columns), _line(["---"] * len(columns))]
    lines += [_line(row) for row in rows]
    return "\n".join(lines)


def _line(cells: Sequence[str]) -> str:
    return (
        "| " + " | ".join(str(cell).replace("|", "\\|").replace("\n", " ") for cell in cells) + " |"
    )


def _endpoint(endpoint: Endpoint) -> str:
    return f"`{endpoint.path}`" + ("" if endpoint.port == "http" else f" on `{endpoint.port}`")


def _arg(mapping: ArgMapping) -> str:
    parts = []
    if mapping.flag:
        parts.append(
            f"positional ({mapping.flag})"
            if mapping.style == "positional"
            else f"`{mapping.flag}` ({mapping.style})"
        )
    if mapping.env:
        parts.append(f"env `{mapping.env}`")
    for state, words in (("on", mapping.true_args), ("off", mapping.false_args)):
        if words:
            parts.append(f"{state}: `{' '.join(words)}`")
    return ", ".join(parts)


def _value(value: object) -> str:
    if dataclasses.is_dataclass(value):
        fields = dataclasses.asdict(value).items()  # type: ignore[arg-type]
        return ", ".join(f"{k}={v}" for k, v in fields if v not in (None, "", ()))
    if isinstance(value, Mapping):
        return _labels(value) if value else "none"
    if isinstance(value, tuple):
        return ", ".join(_value(item) for item in value) or "none"
    if isinstance(value, bool):
        return _yes(value)
    return "none" if value is None or value == "" else f"`{value}`"


def _labels(labels: Mapping[str, object]) -> str:
    return ", ".join(f"`{k}={v}`" for k, v in labels.items()) or "none"


def _tolerations(tolerations: Sequence[Mapping[str, str]]) -> str:
    return ", ".join(_toleration(t) for t in tolerations) or "none"


def _toleration(toleration: Mapping[str, str]) -> str:
    value = f"={toleration['value']}" if "value" in toleration else ""
    return f"`{toleration['key']}{value}:{toleration['effect']}` ({toleration['operator']})"


def _code(value: str | None) -> str:
    return f"`{value}`" if value else "none"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


DOCS = {"runtimes.md": render_runtimes_md, "platforms.md": render_platforms_md}


def main(argv: Sequence[str]) -> int:
    """Write the generated pages into the docs directory (first argument, default ./docs)."""
    target = Path(argv[0]) if argv else Path("docs")
    for name, render in DOCS.items():
        (target / name).write_text(render(), encoding="utf-8")
        print(f"wrote {target / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
