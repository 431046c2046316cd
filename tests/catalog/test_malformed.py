"""Broken data files fail loudly, naming the file and key, instead of defaulting silently."""

from __future__ import annotations

import copy
from collections.abc import Callable
from importlib import resources
from typing import Any

import pytest
import yaml

from chartgen.catalog.load import (
    CatalogError,
    check_platform,
    check_runtime,
    parse_gpus,
    parse_named,
)
from chartgen.catalog.profiles import PlatformProfile, RuntimeProfile

Data = dict[str, Any]


def _shipped(path: str) -> Data:
    text = (resources.files("chartgen.catalog") / path).read_text(encoding="utf-8")
    data: Data = yaml.safe_load(text)
    return data


VLLM = _shipped("runtimes/vllm.yaml")
AKS = _shipped("platforms/aks.yaml")
GPUS = _shipped("gpus.yaml")


def _changed(data: Data, change: Callable[[Data], object]) -> Data:
    copied = copy.deepcopy(data)
    change(copied)
    return copied


def _rename_arg(data: Data, old: str, new: str) -> None:
    data["args"][new] = data["args"].pop(old)
    data["sources"][f"args.{new}"] = data["sources"].pop(f"args.{old}")


RUNTIME_BREAKAGES: dict[str, tuple[Callable[[Data], object], str]] = {
    "missing field": (lambda d: d.pop("liveness"), "missing required key 'liveness'"),
    "unknown field": (lambda d: d.update(livenes={"path": "/health"}), "unknown key"),
    "missing source": (lambda d: d["sources"].pop("queue_metric"), "no source for queue_metric"),
    "blank arg source": (lambda d: d["sources"].update({"args.port": " "}), "args.port"),
    "stale source": (lambda d: d["sources"].update(gpu="x"), "unknown fact"),
    "wrong type": (lambda d: d["ports"].update(http="8000"), "expected int"),
    "bool as int": (lambda d: d.update(drain_seconds=True), "expected int"),
    "unknown style": (lambda d: d["args"]["port"].update(style="glued"), "style 'glued'"),
    "unknown option": (lambda d: _rename_arg(d, "port", "listen_port"), "unknown option"),
    "flag-less option": (lambda d: d["args"].update(port={}), "neither a flag nor an env"),
    "missing port": (lambda d: d["metrics"].update(port="metrics"), "port 'metrics'"),
    "bad placeholder": (lambda d: d["readiness"].update(path="/v1/{model}"), "placeholder"),
    "relative path": (lambda d: d["startup"].update(path="health"), "must start with '/'"),
    "not a list": (lambda d: d.update(never_liveness="/v1/models"), "expected a list"),
}


@pytest.mark.parametrize("case", RUNTIME_BREAKAGES, ids=list(RUNTIME_BREAKAGES))
def test_broken_runtime_file_is_rejected(case: str) -> None:
    change, message = RUNTIME_BREAKAGES[case]
    with pytest.raises(CatalogError, match=r"runtimes/vllm\.yaml") as error:
        parse_named(_changed(VLLM, change), RuntimeProfile, check_runtime, "runtimes/vllm.yaml")
    assert message in str(error.value)


def test_shipped_runtime_file_parses_unchanged() -> None:
    name, runtime = parse_named(VLLM, RuntimeProfile, check_runtime, "runtimes/vllm.yaml")
    assert (name, runtime.ports.http) == ("vllm", 8000)


def test_runtime_named_differently_from_its_file_is_rejected() -> None:
    with pytest.raises(CatalogError, match="does not match the file name"):
        parse_named(VLLM, RuntimeProfile, check_runtime, "runtimes/vllm-openai.yaml")


PLATFORM_BREAKAGES: dict[str, tuple[Callable[[Data], object], str]] = {
    "no effect": (lambda d: d["gpu_tolerations"][1].pop("effect"), "needs key, operator"),
    "bad effect": (lambda d: d["gpu_tolerations"][1].update(effect="NoRun"), "needs key"),
    "exists with value": (lambda d: d["gpu_tolerations"][1].update(value="x"), "takes no value"),
    "equal without value": (lambda d: d["gpu_tolerations"][0].pop("value"), "Equal with a value"),
    "bad operator": (lambda d: d["spot_tolerations"][0].update(operator="In"), "must be Exists"),
    "unquoted value": (lambda d: d["gpu_node_selector"].update(x=True), "expected str"),
    "bad mig mode": (lambda d: d.update(mig_mode="mixed"), "mig_mode"),
    "bad product attr": (lambda d: d.update(product_selector_attr="sku"), "no GpuProduct field"),
    "missing source": (lambda d: d["sources"].pop("runtime_class"), "no source for runtime_class"),
    "two default pools": (
        lambda d: _pool(d, "node-auto-provisioning").update(default=True),
        "exactly one variant must be the default",
    ),
    "no default pool": (lambda d: _pool(d, "node-pool").update(default=False), "exactly one"),
    "pool fact unsourced": (
        lambda d: _pool(d, "node-auto-provisioning")["sources"].pop("taints"),
        "node_pools.node-auto-provisioning: no source for taints",
    ),
    "selector not a label": (
        lambda d: _pool(d, "node-auto-provisioning").update(gpu_selector={"gpu": "yes"}),
        "not among the pool's labels",
    ),
    "product label missing": (
        lambda d: _pool(d, "node-auto-provisioning").update(product_label="sku"),
        "is no label of the pool",
    ),
    "nothing pins product": (
        lambda d: _pool(d, "node-pool").update(instance_types=None),
        "neither a label nor instance types",
    ),
    "unknown placeholder": (
        lambda d: _pool(d, "node-auto-provisioning")["labels"].update(x="{gpu_model}"),
        "unknown placeholder",
    ),
    "bad mig": (lambda d: _pool(d, "node-pool").update(mig="mixed"), ".mig: 'mixed' not one of"),
    "bad sharing": (lambda d: _pool(d, "node-pool").update(sharing=["vgpu"]), "sharing"),
    "taint without effect": (
        lambda d: _pool(d, "node-pool")["taints"][0].pop("effect"),
        "needs a key and an effect",
    ),
    "bad access mode": (
        lambda d: _pool(d, "node-pool")["storage"].update(access_modes=["RWO"]),
        "access_modes: 'RWO'",
    ),
    "class without binding": (
        lambda d: _pool(d, "node-pool")["storage"].update(binding_mode=None),
        "binding_mode: None",
    ),
}


def _pool(data: Data, name: str) -> Data:
    pool: Data = data["node_pools"][name]
    return pool


@pytest.mark.parametrize("case", PLATFORM_BREAKAGES, ids=list(PLATFORM_BREAKAGES))
def test_broken_platform_file_is_rejected(case: str) -> None:
    change, message = PLATFORM_BREAKAGES[case]
    with pytest.raises(CatalogError, match=r"platforms/aks\.yaml") as error:
        parse_named(_changed(AKS, change), PlatformProfile, check_platform, "platforms/aks.yaml")
    assert message in str(error.value)


def _product(data: Data, key: str) -> Data:
    product: Data = data["products"][key]
    return product


GPU_BREAKAGES: dict[str, tuple[Callable[[Data], object], str]] = {
    "duplicate mig profile": (
        lambda d: _product(d, "H100-80GB")["mig_profiles"].append("3g.40gb"),
        "duplicates",
    ),
    "unknown vendor": (lambda d: _product(d, "T4").update(vendor="nvidea"), "not one of"),
    "nvidia without label": (lambda d: _product(d, "L4").update(operator_label=""), "feature"),
    "missing source": (lambda d: _product(d, "L4")["sources"].pop("gke_accelerator"), "no source"),
    "blank vendor source": (lambda d: d["vendors"]["amd"].update(source=""), "no source"),
    "unknown section": (lambda d: d.update(accelerators={}), "unknown top-level key"),
    "memory as text": (lambda d: _product(d, "T4").update(memory_gib="16"), "expected int"),
}


@pytest.mark.parametrize("case", GPU_BREAKAGES, ids=list(GPU_BREAKAGES))
def test_broken_gpu_file_is_rejected(case: str) -> None:
    change, message = GPU_BREAKAGES[case]
    with pytest.raises(CatalogError, match=r"gpus\.yaml") as error:
        parse_gpus(_changed(GPUS, change), "gpus.yaml")
    assert message in str(error.value)
