"""Node-pool variants of each example's platform, as fake nodes and storage, built ONLY from
chartgen's catalog (chartgen.catalog.nodes): the tests hold no copy of any platform label."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chartgen import catalog
from chartgen.catalog import nodes
from chartgen.model.multinode import group_shape
from tests.cluster.charts import ExampleChart
from tests.cluster.objects import StorageClassFacts


@dataclass(frozen=True)
class Variant:
    platform: str
    pool: str
    default: bool
    gpu_node: nodes.FakeNode | None  # None: the chart asks for no GPU
    unplaceable: str  # why the variant has no node for the chart's GPU request, or ""
    storage: tuple[StorageClassFacts, ...]

    @property
    def id(self) -> str:
        return f"{self.platform}-{self.pool}"


def storage_classes(platform: str, pool: str, named: str = "") -> tuple[StorageClassFacts, ...]:
    """The variant's default class, its ReadWriteMany class if any, and a class the spec names
    (the user vouches it exists: modelled on the platform's default disk)."""
    facts = nodes.pool_storage(platform, pool)
    classes: list[StorageClassFacts] = []
    if facts.default_class and facts.provisioner:
        classes.append(
            StorageClassFacts(
                facts.default_class,
                facts.provisioner,
                tuple(facts.access_modes),
                facts.binding_mode or "WaitForFirstConsumer",
                default=True,
                zonal=facts.zonal,
            )
        )
    if facts.rwx_class:
        # A network file system: reachable from every zone, every access mode.
        modes = ("ReadWriteMany", "ReadWriteOnce", "ReadOnlyMany")
        classes.append(
            StorageClassFacts(facts.rwx_class, "file.csi.invalid", modes, "Immediate", zonal=False)
        )
    if named and named not in {c.name for c in classes}:
        base = classes[0] if classes else None
        classes.append(
            StorageClassFacts(
                named,
                base.provisioner if base else "named-by-the-spec.invalid",
                base.access_modes if base else ("ReadWriteOnce",),
                base.binding_mode if base else "WaitForFirstConsumer",
                zonal=base.zonal if base else True,
            )
        )
    return tuple(classes)


def gpu_request(chart: ExampleChart) -> dict[str, Any]:
    gpu = chart.gpu
    return {
        "product": catalog.gpu_product(gpu["product"]) if gpu.get("product") else None,
        # one pod per node: a multi-node replica's nodes hold its GPUs per node
        "gpus": max(group_shape(chart.spec).per_node, 1),
        "mig": gpu.get("mig"),
        "sharing": None if gpu.get("sharing") in (None, "none") else gpu["sharing"],
        "mig_strategy": gpu.get("migStrategy") or "mixed",
        "rename": gpu.get("renameByDefault"),
        "spot": bool((chart.spec.get("scheduling") or {}).get("spot")),
    }


def variants(chart: ExampleChart) -> list[Variant]:
    """Every node-pool variant of the chart's platform (a CPU-only chart: the default one)."""
    profile = catalog.platform(chart.platform)
    named = str(chart.values["cache"].get("storageClass") or "")
    found = []
    for pool in profile.node_pools.values():
        if not chart.gpu and not pool.default:
            continue
        node, why = None, ""
        if chart.gpu:
            try:
                node = nodes.gpu_node(profile, pool.name, **gpu_request(chart))
            except nodes.Unplaceable as exc:
                why = str(exc)
        if chart.gpu and pool.rejects_gpu_helpers and chart.values["download"]["enabled"]:
            why = why or "its admission refuses the download Job on GPU nodes"
        storage = storage_classes(profile.name, pool.name, named)
        found.append(Variant(profile.name, pool.name, pool.default, node, why, storage))
    return found
