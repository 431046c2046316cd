"""GPU placement facts per platform: tolerations, selectors, MIG naming, security constraints."""

from __future__ import annotations

import dataclasses

import pytest

from chartgen import catalog
from chartgen.catalog.load import UNSOURCED
from chartgen.catalog.profiles import PlatformProfile

PLATFORMS = [catalog.platform(name) for name in catalog.platform_names()]
OPERATOR_PLATFORMS = [p for p in PLATFORMS if p.mig_mode == "operator"]
EFFECTS = {"NoSchedule", "PreferNoSchedule", "NoExecute"}
GPU_TAINT_KEY = "nvidia.com/gpu"


def _ids(platforms: list[PlatformProfile]) -> list[str]:
    return [p.name for p in platforms]


def _tolerations(platform: PlatformProfile) -> list[dict[str, str]]:
    return list(platform.gpu_tolerations) + list(platform.spot_tolerations)


@pytest.mark.parametrize("platform", PLATFORMS, ids=_ids(PLATFORMS))
def test_every_fact_has_a_source(platform: PlatformProfile) -> None:
    skipped = UNSOURCED[PlatformProfile]
    facts = [f.name for f in dataclasses.fields(platform) if f.name not in skipped]
    assert [fact for fact in facts if not platform.sources.get(fact, "").strip()] == []


@pytest.mark.parametrize("platform", PLATFORMS, ids=_ids(PLATFORMS))
def test_tolerations_are_well_formed(platform: PlatformProfile) -> None:
    for toleration in _tolerations(platform):
        assert toleration["key"]
        assert toleration["effect"] in EFFECTS
        assert toleration["operator"] in ("Exists", "Equal")
        assert ("value" in toleration) == (toleration["operator"] == "Equal")
        assert set(toleration) <= {"key", "operator", "value", "effect"}


@pytest.mark.parametrize("platform", PLATFORMS, ids=_ids(PLATFORMS))
def test_gpu_pods_tolerate_the_nvidia_gpu_taint_explicitly(platform: PlatformProfile) -> None:
    keys = {t["key"] for t in platform.gpu_tolerations if t["operator"] == "Exists"}
    assert GPU_TAINT_KEY in keys


def test_aks_tolerates_its_documented_gpu_taint_because_nothing_adds_it() -> None:
    aks = catalog.platform("aks")
    assert {"key": "sku", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"} in (
        aks.gpu_tolerations
    )
    assert not aks.tolerations_automatic


def test_only_gke_adds_gpu_tolerations_itself() -> None:
    assert [p.name for p in PLATFORMS if p.tolerations_automatic] == ["gke"]


@pytest.mark.parametrize("platform", PLATFORMS, ids=_ids(PLATFORMS))
def test_no_platform_names_a_runtime_class(platform: PlatformProfile) -> None:
    assert platform.runtime_class is None


def test_generic_selects_nodes_labelled_by_the_gpu_operator() -> None:
    generic = catalog.platform("generic")
    assert generic.gpu_node_selector == {"nvidia.com/gpu.present": "true"}
    assert generic.product_selector_key == "nvidia.com/gpu.product"


@pytest.mark.parametrize("platform", PLATFORMS, ids=_ids(PLATFORMS))
def test_product_selector_reads_a_value_some_product_has(platform: PlatformProfile) -> None:
    assert platform.product_selector_attr is not None
    values = [getattr(p, platform.product_selector_attr) for p in catalog.gpu_products()]
    assert any(values)


def test_gke_mig_requests_whole_gpu_resources_and_selects_the_partition() -> None:
    gke = catalog.platform("gke")
    assert gke.mig_mode == "gke"
    assert gke.mig_resource_template is None
    assert gke.mig_selector_key == "cloud.google.com/gke-gpu-partition-size"
    assert gke.mig_selector_value is not None
    assert gke.mig_selector_value.format(profile="1g.5gb") == "1g.5gb"


@pytest.mark.parametrize("platform", OPERATOR_PLATFORMS, ids=_ids(OPERATOR_PLATFORMS))
def test_operator_mig_names_follow_gpu_feature_discovery(platform: PlatformProfile) -> None:
    h100 = catalog.gpu_product("H100-80GB")
    assert platform.mig_resource_template is not None
    assert platform.mig_selector_value is not None
    resource = platform.mig_resource_template.format(profile="3g.40gb")
    label = platform.mig_selector_value.format(
        operator_label=h100.operator_label, profile="3g.40gb"
    )
    assert resource == "nvidia.com/mig-3g.40gb"
    assert (platform.mig_selector_key, label) == (
        "nvidia.com/gpu.product",
        "NVIDIA-H100-80GB-HBM3-MIG-3g.40gb",
    )


def test_openshift_leaves_the_uid_to_the_security_context_constraint() -> None:
    assert [p.name for p in PLATFORMS if not p.fixed_uid_allowed] == ["openshift"]


@pytest.mark.parametrize("name", ["gke", "eks", "aks", "openshift"])
def test_cloud_platforms_know_their_spot_label(name: str) -> None:
    assert catalog.platform(name).spot_selector


def test_aks_spot_pools_are_tolerated() -> None:
    aks = catalog.platform("aks")
    assert aks.spot_selector == {"kubernetes.azure.com/scalesetpriority": "spot"}
    assert [t["key"] for t in aks.spot_tolerations] == ["kubernetes.azure.com/scalesetpriority"]
