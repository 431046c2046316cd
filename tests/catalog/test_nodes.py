"""GPU nodes of each node-pool variant, as chartgen.catalog.nodes builds them from the data: the
labels, taints and resources the platform really puts on its nodes, and the workloads a variant
cannot host."""

from __future__ import annotations

import pytest

from chartgen import catalog
from chartgen.catalog.nodes import Unplaceable, gpu_node, node_pool, placement, pool_storage
from chartgen.catalog.profiles import NodePool

POOLS = [
    (platform, pool)
    for platform in catalog.platform_names()
    for pool in catalog.platform(platform).node_pools.values()
]
L4 = catalog.gpu_product("L4")
T4 = catalog.gpu_product("T4")
A100 = catalog.gpu_product("A100-40GB")
H100 = catalog.gpu_product("H100-80GB")


def _ids(pools: list[tuple[str, NodePool]]) -> list[str]:
    return [f"{platform}-{pool.name}" for platform, pool in pools]


@pytest.mark.parametrize("name", catalog.platform_names())
def test_every_platform_has_one_default_variant(name: str) -> None:
    pools = catalog.platform(name).node_pools
    assert pools, f"{name} has no node-pool variants"
    assert [p.name for p in pools.values() if p.default] == [node_pool(name).name]


@pytest.mark.parametrize(("platform", "pool"), POOLS, ids=_ids(POOLS))
def test_every_variant_fact_names_its_source(platform: str, pool: NodePool) -> None:
    assert pool.title and pool.sources["labels"].strip() and pool.sources["storage"].strip()


@pytest.mark.parametrize(("platform", "pool"), POOLS, ids=_ids(POOLS))
def test_a_node_of_each_variant_satisfies_the_placement_it_asks_for(
    platform: str, pool: NodePool
) -> None:
    product = H100
    node = gpu_node(platform, pool.name, product, 1)
    wanted = placement(platform, pool.name, product, 1)
    assert wanted.node_selector.items() <= node.labels.items()
    if wanted.instance_types:
        assert node.labels["node.kubernetes.io/instance-type"] in wanted.instance_types
    taint_keys = {t["key"] for t in node.taints}
    assert taint_keys <= {t["key"] for t in wanted.tolerations}
    assert int(node.allocatable[wanted.resource]) >= 1


def test_expected_variants_exist() -> None:
    assert {(p, v.name) for p, v in POOLS} >= {
        ("gke", "standard"), ("gke", "autopilot"), ("eks", "managed-node-group"),
        ("eks", "karpenter"), ("eks", "auto-mode"), ("aks", "node-pool"),
        ("aks", "node-pool-untainted"), ("aks", "node-auto-provisioning"),
        ("openshift", "nfd-gpu-operator"), ("generic", "gpu-operator"),
    }  # fmt: skip


def test_gke_standard_node_is_labelled_by_accelerator_and_tainted_present() -> None:
    node = gpu_node("gke", None, L4, 1)
    assert node.labels["cloud.google.com/gke-accelerator"] == "nvidia-l4"
    assert {"key": "nvidia.com/gpu", "value": "present", "effect": "NoSchedule"} in node.taints
    assert node.allocatable["nvidia.com/gpu"] == "1"
    assert "nvidia.com/gpu.product" not in node.labels


def test_gke_mig_partition_is_a_label_and_whole_gpu_resources() -> None:
    node = gpu_node("gke", "standard", A100, 2, "3g.20gb")
    assert node.labels["cloud.google.com/gke-gpu-partition-size"] == "3g.20gb"
    assert node.allocatable["nvidia.com/gpu"] == "2"  # one A100 gives two 3g.20gb partitions
    assert not any(name.startswith("nvidia.com/mig-") for name in node.allocatable)


def test_eks_managed_node_group_has_no_gpu_name_label_only_an_instance_type() -> None:
    node = gpu_node("eks", "managed-node-group", L4, 1)
    assert not any("gpu-name" in key for key in node.labels)
    assert node.labels["node.kubernetes.io/instance-type"] == "g6.xlarge"
    wanted = placement("eks", "managed-node-group", L4, 4)
    assert wanted.node_selector == {}
    assert set(wanted.instance_types) == {"g6.12xlarge", "g6.24xlarge", "g6.48xlarge"}


@pytest.mark.parametrize(
    ("pool", "key"),
    [
        ("karpenter", "karpenter.k8s.aws/instance-gpu-name"),
        ("auto-mode", "eks.amazonaws.com/instance-gpu-name"),
    ],
)
def test_eks_provisioners_label_the_gpu_name_under_their_own_key(pool: str, key: str) -> None:
    node = gpu_node("eks", pool, L4, 1)
    assert node.labels[key] == "l4"
    assert placement("eks", pool, L4, 1).node_selector == {key: "l4"}


def test_aks_pool_is_pinned_by_vm_size_and_nap_by_sku_gpu_name() -> None:
    pool = placement("aks", "node-pool", T4, 1)
    assert pool.node_selector == {"kubernetes.azure.com/accelerator": "nvidia"}
    assert "Standard_NC4as_T4_v3" in pool.instance_types
    assert {"key": "sku", "operator": "Exists", "effect": "NoSchedule"} in pool.tolerations
    nap = placement("aks", "node-auto-provisioning", T4, 1)
    assert nap.node_selector == {"karpenter.azure.com/sku-gpu-name": "T4"}
    assert nap.instance_types == ()
    assert gpu_node("aks", "node-pool-untainted", T4, 1).taints == ()


@pytest.mark.parametrize(
    ("rename", "resource", "product"),
    [(False, "nvidia.com/gpu", "NVIDIA-L4-SHARED"), (True, "nvidia.com/gpu.shared", "NVIDIA-L4")],
)
def test_time_slicing_names_follow_the_device_plugin_setting(
    rename: bool, resource: str, product: str
) -> None:
    node = gpu_node("generic", None, L4, 1, sharing="time-slicing", rename=rename, clients=4)
    assert node.allocatable[resource] == "4"
    assert node.labels["nvidia.com/gpu.product"] == product
    assert node.labels["nvidia.com/gpu.replicas"] == "4"
    wanted = placement("generic", None, L4, 1, sharing="time-slicing", rename=rename)
    assert (wanted.resource, wanted.node_selector["nvidia.com/gpu.product"]) == (resource, product)


def test_gpu_operator_ships_time_slicing_without_renaming() -> None:
    assert not node_pool("generic").rename_by_default
    node = gpu_node("generic", None, L4, 1, sharing="time-slicing")
    assert "nvidia.com/gpu.shared" not in node.capacity


@pytest.mark.parametrize(
    ("strategy", "resource", "product"),
    [
        ("mixed", "nvidia.com/mig-1g.5gb", "NVIDIA-A100-SXM4-40GB"),
        ("single", "nvidia.com/gpu", "NVIDIA-A100-SXM4-40GB-MIG-1g.5gb"),
    ],
)
def test_operator_mig_strategies(strategy: str, resource: str, product: str) -> None:
    node = gpu_node("openshift", None, A100, 7, "1g.5gb", mig_strategy=strategy)
    assert node.allocatable[resource] == "7"
    assert node.labels["nvidia.com/gpu.product"] == product
    assert node.labels["nvidia.com/mig.strategy"] == strategy


UNPLACEABLE = [
    ("eks", "managed-node-group", A100, 1, "1g.5gb", None, "no MIG-partitioned GPUs"),
    ("eks", "auto-mode", L4, 1, None, "time-slicing", "cannot be configured for GPU time-slicing"),
    ("aks", "node-auto-provisioning", L4, 1, None, None, "no karpenter.azure.com/sku-gpu-name"),
    ("aks", "node-pool", L4, 1, None, None, "Azure offers no instance type with L4"),
    ("gke", "autopilot", None, 1, None, None, "set resources.gpu.product"),
    ("gke", "standard", H100, 1, "1g.5gb", None, "no MIG profile 1g.5gb"),
    ("eks", "karpenter", L4, 16, None, None, "at most 8 per instance"),
]


@pytest.mark.parametrize("case", UNPLACEABLE, ids=[c[-1] for c in UNPLACEABLE])
def test_workloads_a_variant_cannot_host_are_named(case: tuple[object, ...]) -> None:
    platform, pool, product, gpus, mig, sharing, message = case
    with pytest.raises(Unplaceable, match=str(message)):
        gpu_node(str(platform), str(pool), product, int(str(gpus)), mig, sharing)  # type: ignore[arg-type]


def test_node_manifest_is_a_v1_node_with_status() -> None:
    node = gpu_node("aks", None, T4, 1, spot=True).manifest("gpu-0", zone="eastus-1")
    assert node["kind"] == "Node" and node["metadata"]["name"] == "gpu-0"
    labels = node["metadata"]["labels"]
    assert labels["kubernetes.azure.com/scalesetpriority"] == "spot"
    assert labels["topology.kubernetes.io/zone"] == "eastus-1"
    assert node["status"]["allocatable"]["nvidia.com/gpu"] == "1"
    assert {"key": "kubernetes.azure.com/scalesetpriority", "value": "spot",
            "effect": "NoSchedule"} in node["spec"]["taints"]  # fmt: skip


@pytest.mark.parametrize(
    ("platform", "default_class", "modes"),
    [
        ("gke", "standard-rwo", ("ReadWriteOnce", "ReadWriteOncePod")),
        ("aks", "default", ("ReadWriteOnce",)),
        ("eks", None, ()),
    ],
)
def test_default_storage_classes_are_read_write_once(
    platform: str, default_class: str | None, modes: tuple[str, ...]
) -> None:
    storage = pool_storage(platform)
    assert (storage.default_class, storage.access_modes) == (default_class, modes)
    assert "ReadWriteMany" not in storage.access_modes


def test_unknown_variant_lists_the_known_ones() -> None:
    with pytest.raises(Exception, match="known: standard, autopilot"):
        node_pool("gke", "karpenter")
