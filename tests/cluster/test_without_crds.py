"""Issue 11 finding 3 on a cluster without the optional CRDs (no prometheus-operator, KEDA or
Gateway API, as on a stock cluster): every example chart installs and runs there, its CRD-kind
objects skipped; the charts as they were at 2471155 fail to install ("no matches for kind").
The same charts with the CRDs present install everywhere else in the suite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.apiserver.cluster import CRD_PATH, KubeCluster, install_crd, wait_established
from tests.cluster.charts import ExampleChart, example_charts
from tests.cluster.matrix import case_name, install_and_settle, prepared
from tests.cluster.objects import delete_namespace, wait_for
from tests.cluster.outcome import explain
from tests.cluster.variants import variants

pytestmark = pytest.mark.cluster
FROZEN = Path(__file__).resolve().parents[1] / "rules" / "frozen-2471155"


def _fresh(crd: dict[str, Any]) -> dict[str, Any]:
    meta = {k: v for k, v in crd["metadata"].items() if k in ("name", "labels", "annotations")}
    return {k: v for k, v in crd.items() if k != "status"} | {"metadata": meta}


@pytest.fixture(scope="module")
def bare_cluster(scheduling_cluster: KubeCluster) -> Iterator[KubeCluster]:
    """The session's cluster with every CRD of schemas/crds removed; restored afterwards."""
    cluster = scheduling_cluster
    saved = [cluster.call("GET", f"{CRD_PATH}/{name}") for name in cluster.crds]
    try:
        for name in cluster.crds:
            cluster.request("DELETE", f"{CRD_PATH}/{name}")
        for crd in saved:
            group, version = crd["spec"]["group"], crd["spec"]["versions"][0]["name"]
            gone = lambda g=group, v=version: cluster.request("GET", f"/apis/{g}/{v}")[0] == 404  # noqa: E731
            wait_for(f"{group}/{version} gone", gone, 60.0)
        yield cluster
    finally:
        for crd in saved:
            install_crd(cluster, _fresh(crd))
        for name in cluster.crds:
            wait_established(cluster, name)


# Open findings that keep a chart from running whatever the CRDs (strict: remove once fixed).
KNOWN_BROKEN: dict[str, str] = {}


def own_variant(chart: ExampleChart) -> Any:
    return next(v for v in variants(chart) if v.pool == chart.node_pool)


def running_cases() -> list[Any]:
    return [
        pytest.param(
            c,
            id=c.name,
            marks=[
                pytest.mark.xfail(strict=True, raises=AssertionError, reason=KNOWN_BROKEN[c.name])
            ]
            if c.name in KNOWN_BROKEN
            else [],
        )
        for c in example_charts()
    ]


@pytest.mark.parametrize("chart", running_cases())
def test_chart_installs_and_runs_without_the_crds(
    bare_cluster: KubeCluster, helm3: Path, chart: ExampleChart
) -> None:
    variant = own_variant(chart)
    name = case_name("nocrd", chart.name)
    with prepared(bare_cluster, name, variant, chart.values) as namespace:
        outcome, _ = install_and_settle(bare_cluster, helm3, chart.path, namespace)
        assert outcome.ok, f"{chart.name} without CRDs:\n" + explain(
            bare_cluster, namespace, outcome
        )


@pytest.mark.parametrize(
    "chart", [c for c in example_charts() if (FROZEN / c.name).is_dir()], ids=lambda c: c.name
)
def test_the_chart_as_it_was_fails_to_install_without_the_crds(
    bare_cluster: KubeCluster, helm3: Path, chart: ExampleChart
) -> None:
    frozen = FROZEN / chart.name
    assert yaml.safe_load((frozen / "Chart.yaml").read_text(encoding="utf-8"))["name"] == chart.name
    namespace = case_name("nocrd-was", chart.name)
    bare_cluster.create_namespace(namespace)
    try:
        done = bare_cluster.install_chart(helm3, frozen, "rel", namespace)
    finally:
        delete_namespace(bare_cluster, namespace)
    assert done.returncode != 0, f"{chart.name}: the 2471155 chart installed without the CRDs"
    assert "no matches for kind" in done.stderr, done.stderr
