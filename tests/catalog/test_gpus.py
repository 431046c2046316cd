"""GPU vendors and products: resources, labels per platform and MIG profiles."""

from __future__ import annotations

import dataclasses
import re

import pytest

from chartgen import catalog
from chartgen.catalog.load import UNSOURCED
from chartgen.catalog.profiles import GpuProduct

PRODUCTS = list(catalog.gpu_products())
MIG_PRODUCTS = [p for p in PRODUCTS if p.mig_profiles]
REQUIRED_KEYS = {
    "T4",
    "L4",
    "A10G",
    "L40S",
    "A100-40GB",
    "A100-80GB",
    "H100-80GB",
    "H200-141GB",
    "MI300X",
}
MIG_PROFILE = re.compile(r"^(?P<slices>[1-7])g\.(?P<gb>\d+)gb$")


def _ids(products: list[GpuProduct]) -> list[str]:
    return [p.key for p in products]


def test_catalog_has_the_products_specs_name() -> None:
    assert set(catalog.gpu_product_keys()) >= REQUIRED_KEYS


@pytest.mark.parametrize(
    ("vendor", "resource", "shared", "env"),
    [
        ("nvidia", "nvidia.com/gpu", "nvidia.com/gpu.shared", "NVIDIA_VISIBLE_DEVICES"),
        ("amd", "amd.com/gpu", None, "ROCR_VISIBLE_DEVICES"),
        ("intel", "gpu.intel.com/i915", None, "ZE_AFFINITY_MASK"),
    ],
)
def test_vendor_resources(vendor: str, resource: str, shared: str | None, env: str) -> None:
    found = catalog.gpu_vendor(vendor)
    assert (found.resource, found.shared_resource, found.visible_devices_env) == (
        resource,
        shared,
        env,
    )
    assert found.source.strip()


@pytest.mark.parametrize("product", PRODUCTS, ids=_ids(PRODUCTS))
def test_every_product_fact_has_a_source(product: GpuProduct) -> None:
    skipped = UNSOURCED[GpuProduct]
    facts = [f.name for f in dataclasses.fields(product) if f.name not in skipped]
    assert product.source.strip()
    assert [fact for fact in facts if not product.sources.get(fact, "").strip()] == []


@pytest.mark.parametrize("product", PRODUCTS, ids=_ids(PRODUCTS))
def test_only_nvidia_products_carry_the_feature_discovery_label(product: GpuProduct) -> None:
    assert bool(product.operator_label) == (product.vendor == "nvidia")


@pytest.mark.parametrize("product", MIG_PRODUCTS, ids=_ids(MIG_PRODUCTS))
def test_mig_profiles_are_unique_and_well_formed(product: GpuProduct) -> None:
    assert len(set(product.mig_profiles)) == len(product.mig_profiles)
    assert all(MIG_PROFILE.match(profile) for profile in product.mig_profiles)


@pytest.mark.parametrize("product", MIG_PRODUCTS, ids=_ids(MIG_PRODUCTS))
def test_the_full_mig_slice_holds_the_whole_gpu_memory(product: GpuProduct) -> None:
    sizes = {m["slices"]: int(m["gb"]) for m in map(MIG_PROFILE.match, product.mig_profiles) if m}
    assert sizes["7"] == product.memory_gib
    assert max(sizes.values()) == product.memory_gib


@pytest.mark.parametrize(
    ("key", "profiles"),
    [
        ("A100-40GB", {"1g.5gb", "2g.10gb", "3g.20gb", "4g.20gb", "7g.40gb"}),
        ("A100-80GB", {"1g.10gb", "1g.20gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb"}),
        ("H100-80GB", {"1g.10gb", "1g.20gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb"}),
        ("H200-141GB", {"1g.18gb", "1g.35gb", "2g.35gb", "3g.71gb", "4g.71gb", "7g.141gb"}),
    ],
)
def test_mig_profiles_of_mig_capable_gpus(key: str, profiles: set[str]) -> None:
    assert set(catalog.gpu_product(key).mig_profiles) >= profiles


def test_a_profile_of_one_gpu_is_not_offered_on_another() -> None:
    assert "1g.5gb" not in catalog.gpu_product("H100-80GB").mig_profiles


@pytest.mark.parametrize(
    ("key", "label", "gke", "eks"),
    [
        ("T4", "Tesla-T4", "nvidia-tesla-t4", "t4"),
        ("L4", "NVIDIA-L4", "nvidia-l4", "l4"),
        ("A10G", "NVIDIA-A10G", None, "a10g"),
        ("A100-40GB", "NVIDIA-A100-SXM4-40GB", "nvidia-tesla-a100", "a100"),
        ("H100-80GB", "NVIDIA-H100-80GB-HBM3", "nvidia-h100-80gb", "h100"),
    ],
)
def test_platform_label_values(key: str, label: str, gke: str | None, eks: str) -> None:
    product = catalog.gpu_product(key)
    assert (product.operator_label, product.gke_accelerator, product.eks_gpu_name) == (
        label,
        gke,
        eks,
    )
