"""Parse catalog data files into profiles, strictly: a missing field, an unknown key, a wrong type
or a fact without a source is a CatalogError naming the file and the key. Nothing is defaulted
that the dataclass does not default itself.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar

from chartgen.catalog.profiles import (
    ArgMapping,
    Endpoint,
    GpuProduct,
    GpuVendor,
    HubTable,
    InferenceExtension,
    IngressNginx,
    ModelStores,
    NodePool,
    PlatformProfile,
    RuntimeProfile,
    StorageFacts,
    WeightsTable,
    WorkloadTable,
)
from chartgen.errors import ChartgenError

T = TypeVar("T")


class Named(Protocol):
    @property
    def name(self) -> str: ...


N = TypeVar("N", bound=Named)

ARG_KEYS = frozenset(
    {
        "model", "served_name", "tensor_parallel", "pipeline_parallel", "data_parallel",
        "max_model_len", "dtype",
        "quantization", "gpu_memory_utilization", "drain_timeout", "port", "host",
        "model_repository", "download_dir", "revision", "metrics_enable",
        "prefix_caching", "chunked_prefill", "max_num_seqs", "kv_cache_dtype",
        "enable_lora", "lora_modules", "max_loras", "max_lora_rank",
    }
)  # fmt: skip
APIS = frozenset({"", "openai", "kserve-v2", "tfserving", "torchserve"})
ARG_STYLES = frozenset({"separate", "equals", "bool", "positional", "list", "switch"})
PATH_PLACEHOLDERS = frozenset({"{served_name}"})
MIG_MODES = frozenset({"operator", "gke"})
MAINTENANCE = frozenset({"", "maintenance-mode", "limited", "archived"})
TOLERATION_EFFECTS = frozenset({"NoSchedule", "PreferNoSchedule", "NoExecute"})
TOLERATION_KEYS = frozenset({"key", "operator", "value", "effect"})
DEVICE_PLUGINS = frozenset({"gke", "nvidia"})
POOL_MIG_MODES = frozenset({"none", "gke", "operator"})
INSTANCE_TYPE_SOURCES = frozenset({None, "aws", "azure"})
SHARING_MODES = frozenset({"time-slicing", "mps"})
ACCESS_MODES = frozenset({"ReadWriteOnce", "ReadWriteOncePod", "ReadOnlyMany", "ReadWriteMany"})
BINDING_MODES = frozenset({"WaitForFirstConsumer", "Immediate"})
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
LABEL_PLACEHOLDERS = frozenset(
    {
        "gke_accelerator", "eks_gpu_name", "aks_gpu_name", "gfd_product", "gfd_replicas",
        "gpu_count", "instance_type", "mig_profile", "mig_strategy", "gke_sharing_strategy",
        "sharing_clients",
    }
)  # fmt: skip
UNSOURCED = {  # fields that identify or describe a record rather than state a fact
    RuntimeProfile: frozenset({"name", "sources", "notes", "args"}),
    PlatformProfile: frozenset({"name", "sources", "notes", "node_pools"}),
    NodePool: frozenset({"name", "title", "default", "sources", "notes"}),
    GpuProduct: frozenset({"key", "vendor", "source", "sources", "notes"}),
    ModelStores: frozenset({"sources"}),
    IngressNginx: frozenset({"sources"}),
    InferenceExtension: frozenset({"sources"}),
}


class CatalogError(ChartgenError):
    """A catalog data file is malformed: a bug in chartgen's own data, never the user's input."""


def build(cls: type[T], data: object, where: str) -> T:
    """The dataclass `cls` from a YAML mapping, checking every key and value type."""
    if not isinstance(data, Mapping):
        raise CatalogError(f"{where}: expected a mapping, got {type(data).__name__}")
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise CatalogError(f"{where}: unknown key(s) {', '.join(map(str, unknown))}")
    hints = _hints(cls)
    values: dict[str, Any] = {}
    for name, spec in fields.items():
        if name in data:
            values[name] = convert(hints[name], data[name], f"{where}.{name}")
        elif spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
            raise CatalogError(f"{where}: missing required key {name!r}")
    return cls(**values)


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    """A record type's field types (evaluating them compiles each annotation: once per type)."""
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def convert(hint: Any, value: object, where: str) -> Any:
    """`value` checked against the type `hint`, lists turned into tuples, mappings into records."""
    if hint is Any:
        return value  # raw Kubernetes fragments (NetworkPolicy peers), checked where used
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [h for h in typing.get_args(hint) if h is not type(None)]
        return None if value is None else convert(options[0], value, where)
    if dataclasses.is_dataclass(hint):
        return build(hint, value, where)  # type: ignore[arg-type]
    if origin is tuple:
        return tuple(
            convert(typing.get_args(hint)[0], item, f"{where}[{i}]")
            for i, item in enumerate(_list(value, where))
        )
    if origin is dict:
        item_hint = typing.get_args(hint)[1]
        return {
            _text(k, where): convert(item_hint, _named(item_hint, k, v), f"{where}.{k}")
            for k, v in _mapping(value, where).items()
        }
    return _scalar(hint, value, where)


def _named(hint: Any, key: object, value: object) -> object:
    """A mapping of named records (node pools) gives each record its key as `name`."""
    is_named = dataclasses.is_dataclass(hint) and "name" in {
        f.name for f in dataclasses.fields(hint)
    }
    if is_named and isinstance(value, Mapping) and "name" not in value:
        return {"name": key, **value}
    return value


def _scalar(hint: Any, value: object, where: str) -> Any:
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, hint) or (hint is int and isinstance(value, bool)):
        raise CatalogError(
            f"{where}: expected {hint.__name__}, got {type(value).__name__} {value!r}"
        )
    return value


def _list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise CatalogError(f"{where}: expected a list, got {type(value).__name__}")
    return value


def _mapping(value: object, where: str) -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):
        raise CatalogError(f"{where}: expected a mapping, got {type(value).__name__}")
    return value


def _text(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise CatalogError(f"{where}: expected string keys, got {value!r}")
    return value


def stated_facts(record: object) -> set[str]:
    """The facts a record states: its fields, less bookkeeping ones and optional facts left empty
    (an empty optional fact states nothing, so it needs no source)."""
    skipped = UNSOURCED[type(record)]
    fields = dataclasses.fields(record)  # type: ignore[arg-type]
    optional = [
        f
        for f in fields
        if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
    ]
    unset = {f.name for f in optional if not getattr(record, f.name)}
    return {f.name for f in fields if f.name not in skipped and f.name not in unset}


def require_sources(
    record: object, sources: Mapping[str, str], extra: set[str], where: str
) -> None:
    """Every fact of `record` (plus the `extra` fact names) has a non-empty source, and no source
    names a fact that does not exist."""
    facts = stated_facts(record) | extra
    missing = sorted(name for name in facts if not str(sources.get(name, "")).strip())
    if missing:
        raise CatalogError(f"{where}: no source for {', '.join(missing)}")
    known = {f.name for f in dataclasses.fields(record)} | extra  # type: ignore[arg-type]
    stale = sorted(set(sources) - known)
    if stale:
        raise CatalogError(f"{where}: sources name unknown fact(s) {', '.join(stale)}")


def check_runtime(runtime: RuntimeProfile, where: str) -> None:
    require_sources(runtime, runtime.sources, {f"args.{key}" for key in runtime.args}, where)
    for key, mapping in runtime.args.items():
        _check_arg(key, mapping, f"{where}.args.{key}")
    port_names = {
        name for name, port in dataclasses.asdict(runtime.ports).items() if port is not None
    }
    for name in ("startup", "readiness", "liveness", "metrics"):
        _check_endpoint(getattr(runtime, name), port_names, f"{where}.{name}")
    for path in runtime.never_liveness + runtime.early_readiness:
        _check_path(path, f"{where}.never_liveness/early_readiness")
    if runtime.maintenance not in MAINTENANCE:
        raise CatalogError(
            f"{where}.maintenance: {runtime.maintenance!r} not one of {sorted(MAINTENANCE)}"
        )
    if runtime.api not in APIS:
        raise CatalogError(f"{where}.api: {runtime.api!r} not one of {sorted(APIS)}")
    _check_api_key(runtime, where)
    for vendor, image in runtime.vendor_images.items():
        if vendor == "nvidia" or ":" not in image.rsplit("/", 1)[-1]:
            raise CatalogError(
                f"{where}.vendor_images.{vendor}: a non-NVIDIA vendor and a repository:tag"
            )


def _check_api_key(runtime: RuntimeProfile, where: str) -> None:
    """One way in (env or flag), one kind of path list, and the probes and the scrape left open:
    the kubelet and Prometheus send no key."""
    auth = runtime.api_key
    if auth is None:
        return
    if bool(auth.env) == bool(auth.flag) or bool(auth.guarded) == bool(auth.open):
        raise CatalogError(f"{where}.api_key: exactly one of env/flag and of guarded/open")
    for name in ("startup", "readiness", "liveness", "metrics"):
        path = getattr(runtime, name).path
        if auth.guards(path):
            raise CatalogError(f"{where}.api_key: the {name} path {path} would need the key")


def _check_arg(key: str, mapping: ArgMapping, where: str) -> None:
    if key not in ARG_KEYS:
        raise CatalogError(f"{where}: unknown option; allowed: {', '.join(sorted(ARG_KEYS))}")
    if mapping.style not in ARG_STYLES:
        raise CatalogError(
            f"{where}: style {mapping.style!r} not one of {', '.join(sorted(ARG_STYLES))}"
        )
    if mapping.style == "switch":
        if not (mapping.true_args or mapping.false_args) or mapping.flag or mapping.env:
            raise CatalogError(f"{where}: a switch has true_args or false_args, no flag or env")
    elif not (mapping.flag or mapping.env):
        raise CatalogError(f"{where}: maps to neither a flag nor an env var")


def _check_endpoint(endpoint: Endpoint, port_names: set[str], where: str) -> None:
    if endpoint.port not in port_names:
        raise CatalogError(
            f"{where}: port {endpoint.port!r} is not one of the ports {sorted(port_names)}"
        )
    _check_path(endpoint.path, where)


def _check_path(path: str, where: str) -> None:
    if not path.startswith("/"):
        raise CatalogError(f"{where}: path {path!r} must start with '/'")
    leftover = path
    for placeholder in PATH_PLACEHOLDERS:
        leftover = leftover.replace(placeholder, "")
    if "{" in leftover or "}" in leftover:
        raise CatalogError(
            f"{where}: path {path!r} has a placeholder other than {sorted(PATH_PLACEHOLDERS)}"
        )


def check_platform(platform: PlatformProfile, where: str) -> None:
    require_sources(platform, platform.sources, set(), where)
    if platform.mig_mode not in MIG_MODES:
        raise CatalogError(
            f"{where}.mig_mode: {platform.mig_mode!r} not one of {sorted(MIG_MODES)}"
        )
    product_fields = {f.name for f in dataclasses.fields(GpuProduct)}
    if (
        platform.product_selector_attr is not None
        and platform.product_selector_attr not in product_fields
    ):
        raise CatalogError(
            f"{where}.product_selector_attr: {platform.product_selector_attr!r}"
            " is no GpuProduct field"
        )
    tolerations = platform.gpu_tolerations + platform.spot_tolerations
    for i, toleration in enumerate(tolerations):
        check_toleration(toleration, f"{where}.tolerations[{i}]")
    defaults = [pool.name for pool in platform.node_pools.values() if pool.default]
    if len(defaults) != 1:
        raise CatalogError(
            f"{where}.node_pools: exactly one variant must be the default, found {defaults}"
        )
    for name, pool in platform.node_pools.items():
        check_node_pool(pool, f"{where}.node_pools.{name}")


def check_node_pool(pool: NodePool, where: str) -> None:
    """A node-pool variant is sourced, self-consistent, and uses only known placeholders."""
    require_sources(pool, pool.sources, set(), where)
    _one_of(pool.device_plugin, DEVICE_PLUGINS, f"{where}.device_plugin")
    _one_of(pool.mig, POOL_MIG_MODES, f"{where}.mig")
    _one_of(pool.instance_types, INSTANCE_TYPE_SOURCES, f"{where}.instance_types")
    for mode in pool.sharing:
        _one_of(mode, SHARING_MODES, f"{where}.sharing")
    for key, value in pool.labels.items():
        unknown = set(PLACEHOLDER.findall(value)) - LABEL_PLACEHOLDERS
        if unknown:
            raise CatalogError(f"{where}.labels.{key}: unknown placeholder(s) {sorted(unknown)}")
    stray = {k: v for k, v in pool.gpu_selector.items() if pool.labels.get(k) != v}
    if stray:
        raise CatalogError(f"{where}.gpu_selector: {stray} is not among the pool's labels")
    if pool.product_label is not None and pool.product_label not in pool.labels:
        raise CatalogError(f"{where}.product_label: {pool.product_label!r} is no label of the pool")
    if pool.product_label is None and pool.instance_types is None:
        raise CatalogError(f"{where}: pins the product by neither a label nor instance types")
    for i, taint in enumerate(pool.taints + pool.spot_taints):
        check_taint(taint, f"{where}.taints[{i}]")
    _check_storage(pool.storage, f"{where}.storage")


def _check_storage(storage: StorageFacts, where: str) -> None:
    for mode in storage.access_modes:
        _one_of(mode, ACCESS_MODES, f"{where}.access_modes")
    if storage.default_class is None:
        if storage.provisioner or storage.access_modes or storage.binding_mode:
            raise CatalogError(f"{where}: no default class, so no provisioner, modes or binding")
        return
    _one_of(storage.binding_mode, BINDING_MODES, f"{where}.binding_mode")
    if not storage.provisioner or not storage.access_modes:
        raise CatalogError(f"{where}: a default class needs its provisioner and access modes")


def check_taint(taint: Mapping[str, str], where: str) -> None:
    unknown = set(taint) - {"key", "value", "effect"}
    if unknown or not taint.get("key") or taint.get("effect") not in TOLERATION_EFFECTS:
        raise CatalogError(
            f"{where}: needs a key and an effect in {sorted(TOLERATION_EFFECTS)}: {dict(taint)}"
        )


def _one_of(value: object, allowed: frozenset[Any], where: str) -> None:
    if value not in allowed:
        shown = sorted(str(a) for a in allowed)
        raise CatalogError(f"{where}: {value!r} not one of {shown}")


def check_toleration(toleration: Mapping[str, str], where: str) -> None:
    unknown = set(toleration) - TOLERATION_KEYS
    if unknown or not toleration.get("key") or toleration.get("effect") not in TOLERATION_EFFECTS:
        raise CatalogError(
            f"{where}: needs key, operator and an effect in {sorted(TOLERATION_EFFECTS)}:"
            f" {dict(toleration)}"
        )
    operator = toleration.get("operator")
    if operator == "Exists" and "value" in toleration:
        raise CatalogError(f"{where}: operator Exists takes no value: {dict(toleration)}")
    if operator not in ("Exists", "Equal") or (operator == "Equal" and "value" not in toleration):
        raise CatalogError(
            f"{where}: operator must be Exists, or Equal with a value: {dict(toleration)}"
        )


def check_product(product: GpuProduct, vendors: Mapping[str, GpuVendor], where: str) -> None:
    require_sources(product, product.sources, set(), where)
    if not product.source.strip():
        raise CatalogError(f"{where}: no source")
    if product.vendor not in vendors:
        raise CatalogError(f"{where}.vendor: {product.vendor!r} not one of {sorted(vendors)}")
    if product.vendor == "nvidia" and not product.operator_label:
        raise CatalogError(
            f"{where}.operator_label: NVIDIA products need the GPU feature discovery label"
        )
    if len(set(product.mig_profiles)) != len(product.mig_profiles):
        raise CatalogError(f"{where}.mig_profiles: duplicates in {list(product.mig_profiles)}")


def check_vendor(vendor: GpuVendor, where: str) -> None:
    if not vendor.source.strip():
        raise CatalogError(f"{where}: no source")


def parse_named(
    data: object, cls: type[N], check: Callable[[N, str], None], where: str
) -> tuple[str, N]:
    """One runtime or platform file; its `name` must match the file name."""
    record = build(cls, data, where)
    check(record, where)
    name = str(record.name)
    if where.rsplit("/", 1)[-1] != f"{name}.yaml":
        raise CatalogError(f"{where}: name {name!r} does not match the file name")
    return name, record


def parse_gpus(data: object, where: str) -> tuple[dict[str, GpuVendor], dict[str, GpuProduct]]:
    """Vendors and products from gpus.yaml; mapping keys become `name` / `key`."""
    table = _section(data, None, where)
    unknown = sorted(set(table) - {"vendors", "products"})
    if unknown:
        raise CatalogError(f"{where}: unknown top-level key(s) {', '.join(unknown)}")
    vendors = {
        name: build(
            GpuVendor, {"name": name, **_section(item, name, where)}, f"{where}: vendors.{name}"
        )
        for name, item in _section(table.get("vendors"), "vendors", where).items()
    }
    for name, vendor in vendors.items():
        check_vendor(vendor, f"{where}: vendors.{name}")
    products = {
        key: build(
            GpuProduct, {"key": key, **_section(item, key, where)}, f"{where}: products.{key}"
        )
        for key, item in _section(table.get("products"), "products", where).items()
    }
    for key, product in products.items():
        check_product(product, vendors, f"{where}: products.{key}")
    return vendors, products


def _section(value: object, name: str | None, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise CatalogError(f"{where}: {name or 'top level'} must be a mapping")
    return value


def parse_weights(data: object, where: str) -> WeightsTable:
    """weights.yaml: every width positive, every assumption sourced."""
    table = build(WeightsTable, data, where)
    for kind in ("dtypes", "quantizations", "kv_cache_dtypes"):
        for name, precision in getattr(table, kind).items():
            if precision.bytes_per_parameter <= 0 or not precision.source.strip():
                raise CatalogError(f"{where}: {kind}.{name} needs a positive width and a source")
    facts = {"headroom_fraction", "reserve_gib", "lora_adapter_gib"}
    missing = sorted(f for f in facts if not table.sources.get(f, "").strip())
    if missing or set(table.sources) - facts:
        raise CatalogError(f"{where}: sources must name exactly {sorted(facts)}")
    return table


def parse_model_stores(data: object, where: str) -> ModelStores:
    """model_stores.yaml: every fact sourced, no source for an unknown fact."""
    table = build(ModelStores, data, where)
    require_sources(table, table.sources, set(), where)
    return table


def parse_ingress_nginx(data: object, where: str) -> IngressNginx:
    """ingress_nginx.yaml: every fact sourced, no source for an unknown fact."""
    table = build(IngressNginx, data, where)
    require_sources(table, table.sources, set(), where)
    return table


def parse_hub(data: object, where: str) -> HubTable:
    table = build(HubTable, data, where)
    for i, repo in enumerate(table.gated):
        if "/" not in repo.prefix or not repo.source.strip():
            raise CatalogError(f"{where}: gated[{i}] needs an org/ prefix and a source")
    return table


_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_PLACEHOLDERS = ("name", "key", "key_lower")


def parse_workloads(data: object, where: str) -> WorkloadTable:
    """workloads.yaml: pointers absolute, one source per kind, known label-value placeholders."""
    table = build(WorkloadTable, data, where)
    seen: set[tuple[str, str]] = set()
    for kind in table.kinds:
        here = f"{where}: {kind.kind}"
        if not kind.templates or not kind.source.strip() or not kind.groups:
            raise CatalogError(f"{here}: needs groups, templates and a source")
        for group in kind.groups:
            if (group, kind.kind) in seen:
                raise CatalogError(f"{here}: listed twice for group {group!r}")
            seen.add((group, kind.kind))
        for site in kind.templates:
            pointers = [site.pod, *site.labels, *site.annotations, *site.containers]
            pointers += [p for p in (site.metadata, site.replicas) if p]
            if any(not p.startswith("/") for p in pointers):
                raise CatalogError(f"{here}: JSON pointers start with '/'")
            if site.probes_target not in ("first", "serving") or not set(site.added_probes) <= {
                "startup",
                "readiness",
                "liveness",
            }:
                raise CatalogError(f"{here}: added_probes / probes_target not understood")
            for value in site.added_labels.values():
                for name in _PLACEHOLDER.findall(value):
                    if name not in _PLACEHOLDERS and not name.startswith("item."):
                        raise CatalogError(f"{here}: unknown placeholder {{{name}}}")
    for device_class in table.accelerator_device_classes:
        if not device_class.source.strip():
            raise CatalogError(f"{where}: device class {device_class.name} needs a source")
    return table


def parse_inference_extension(data: object, where: str) -> InferenceExtension:
    """inference_extension.yaml: every fact sourced, a known failure mode."""
    table = build(InferenceExtension, data, where)
    require_sources(table, table.sources, set(), where)
    if table.failure_mode not in ("FailOpen", "FailClose"):
        raise CatalogError(f"{where}.failure_mode: FailOpen or FailClose")
    return table
