"""Serving runtime, platform and GPU knowledge, read once from the data files beside this module.

Adding a runtime or platform means adding one YAML file: the directories are listed, not named
(then `python -m chartgen.catalog.snapshot` regenerates the snapshot runs read: snapshot.py).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from importlib import resources
from typing import Any, TypeVar, cast

import yaml

from chartgen.catalog.load import (
    CatalogError,
    check_platform,
    check_runtime,
    parse_gpus,
    parse_hub,
    parse_inference_extension,
    parse_ingress_nginx,
    parse_model_stores,
    parse_named,
    parse_weights,
    parse_workloads,
)
from chartgen.catalog.profiles import (
    GpuProduct,
    GpuVendor,
    HubTable,
    InferenceExtension,
    IngressNginx,
    ModelStores,
    PlatformProfile,
    RuntimeProfile,
    WeightsTable,
    WorkloadTable,
)
from chartgen.errors import UserError

__all__ = [
    "CatalogError",
    "GpuProduct",
    "GpuVendor",
    "InferenceExtension",
    "IngressNginx",
    "ModelStores",
    "PlatformProfile",
    "RuntimeProfile",
    "gpu_product",
    "gpu_product_keys",
    "gpu_products",
    "gpu_vendor",
    "gpu_vendor_names",
    "hub",
    "inference_extension",
    "ingress_nginx",
    "model_stores",
    "platform",
    "platform_names",
    "runtime",
    "runtime_names",
    "weights",
    "workloads",
]

T = TypeVar("T")
PACKAGE = "chartgen.catalog"


def runtime(name: str) -> RuntimeProfile:
    return _lookup(_runtimes(), name, "runtime")


def platform(name: str) -> PlatformProfile:
    return _lookup(_platforms(), name, "platform")


def gpu_vendor(name: str) -> GpuVendor:
    return _lookup(_gpus()[0], name, "GPU vendor")


def gpu_product(key: str) -> GpuProduct:
    by_folded_key = {k.casefold(): product for k, product in _gpus()[1].items()}
    found = by_folded_key.get(key.casefold())
    if found is None:
        raise UserError(
            f"unknown GPU product {key!r}; known products: {', '.join(gpu_product_keys())}"
        )
    return found


def runtime_names() -> tuple[str, ...]:
    return tuple(_runtimes())


def platform_names() -> tuple[str, ...]:
    return tuple(_platforms())


def gpu_vendor_names() -> tuple[str, ...]:
    return tuple(_gpus()[0])


def gpu_product_keys() -> tuple[str, ...]:
    return tuple(_gpus()[1])


def gpu_products() -> tuple[GpuProduct, ...]:
    return tuple(_gpus()[1].values())


def inference_extension() -> InferenceExtension:
    """The InferencePool API and endpoint picker (inference_extension.yaml)."""
    return _inference_extension()


def model_stores() -> ModelStores:
    """Model hub and object storage facts: offline switches, token variables, GCS credentials."""
    return _model_stores()


def ingress_nginx() -> IngressNginx:
    """ingress-nginx facts: streaming timeouts, their default, the annotations chartgen writes."""
    return _ingress_nginx()


def hub() -> HubTable:
    """Hub facts: which repositories are gated (hub.yaml)."""
    return _hub()


def weights() -> WeightsTable:
    """Widths of dtypes and quantizations, and the KV-cache headroom (weights.yaml)."""
    return _weights()


def workloads() -> WorkloadTable:
    """Where pods live in each workload kind, CRDs included (workloads.yaml)."""
    return _workloads()


def _lookup(table: Mapping[str, T], name: str, kind: str) -> T:
    if name not in table:
        raise UserError(f"unknown {kind} {name!r}; known {kind}s: {', '.join(table)}")
    return table[name]


def _runtimes() -> dict[str, RuntimeProfile]:
    return cast(dict[str, RuntimeProfile], _table("runtimes"))


def _platforms() -> dict[str, PlatformProfile]:
    return cast(dict[str, PlatformProfile], _table("platforms"))


def _gpus() -> tuple[dict[str, GpuVendor], dict[str, GpuProduct]]:
    return cast(tuple[dict[str, GpuVendor], dict[str, GpuProduct]], _table("gpus"))


def _inference_extension() -> InferenceExtension:
    return cast(InferenceExtension, _table("inference_extension"))


def _model_stores() -> ModelStores:
    return cast(ModelStores, _table("model_stores"))


def _ingress_nginx() -> IngressNginx:
    return cast(IngressNginx, _table("ingress_nginx"))


def _hub() -> HubTable:
    return cast(HubTable, _table("hub"))


def _weights() -> WeightsTable:
    return cast(WeightsTable, _table("weights"))


def _workloads() -> WorkloadTable:
    return cast(WorkloadTable, _table("workloads"))


@functools.cache
def _table(name: str) -> Any:
    """A catalog table: from the generated snapshot while it matches the data files (a few
    ms), else read and checked from them (chartgen/catalog/snapshot.py)."""
    tables = _snapshot_tables()
    return tables[name] if tables is not None else read_table(name)


@functools.cache
def _snapshot_tables() -> Mapping[str, Any] | None:
    from chartgen.catalog import snapshot

    return snapshot.load()


# tables read from a folder of named records (one file each), then from one file `<table>.yaml`
_FOLDER_TABLES: dict[str, tuple[type[Any], Callable[[Any, str], None]]] = {
    "runtimes": (RuntimeProfile, check_runtime),
    "platforms": (PlatformProfile, check_platform),
}
_FILE_TABLES: dict[str, Callable[[object, str], Any]] = {
    "gpus": parse_gpus,
    "inference_extension": parse_inference_extension,
    "model_stores": parse_model_stores,
    "ingress_nginx": parse_ingress_nginx,
    "hub": parse_hub,
    "weights": parse_weights,
    "workloads": parse_workloads,
}
TABLE_NAMES = (*_FOLDER_TABLES, *_FILE_TABLES)


def read_table(name: str) -> Any:
    """One table read and checked from its data files."""
    if name in _FOLDER_TABLES:
        record, check = _FOLDER_TABLES[name]
        return dict(
            parse_named(_read_yaml(_data(path), path), record, check, path)
            for path in _folder_files(name)
        )
    path = f"{name}.yaml"
    return _FILE_TABLES[name](_read_yaml(_data(path), path), path)


def data_files() -> list[str]:
    """Every data file the tables are read from, relative to this package, in a fixed order."""
    return [
        *(path for folder in _FOLDER_TABLES for path in _folder_files(folder)),
        *(f"{name}.yaml" for name in _FILE_TABLES),
    ]


def _folder_files(folder: str) -> list[str]:
    names = sorted(
        f.name for f in (resources.files(PACKAGE) / folder).iterdir() if f.name.endswith(".yaml")
    )
    if not names:
        raise CatalogError(f"{folder}/: no data files")
    return [f"{folder}/{name}" for name in names]


def _data(path: str) -> str:
    return (resources.files(PACKAGE) / path).read_text(encoding="utf-8")


def _read_yaml(text: str, where: str) -> object:
    try:
        return yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError as error:
        raise CatalogError(f"{where}: not valid YAML: {error}") from error
