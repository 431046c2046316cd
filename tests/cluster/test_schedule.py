"""Every example chart, installed with the real Helm into the scheduling cluster on every
node-pool variant of its platform (nodes built from chartgen's catalog): every workload pod is
bound and Running, the download Job completes, every claim is Bound, every autoscaler's target
exists and every Service has ready endpoints. A case that cannot run fails with the
scheduler's and controllers' events.

On the spec's own variant the committed chart is installed; on another variant the spec is
rebuilt with scheduling.nodePool set to it. Where the variant has no node for the GPU request
(chartgen.catalog.nodes says Unplaceable), `chartgen build` must refuse the spec (exit 2) instead
of producing a chart that would stay Pending."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.apiserver.cluster import KubeCluster
from tests.cluster.charts import ExampleChart, build_for_pool, example_charts
from tests.cluster.matrix import case_name, install_and_settle, prepared
from tests.cluster.outcome import explain, settle
from tests.cluster.variants import Variant, variants

pytestmark = pytest.mark.cluster

# (chart, variant id) -> the issue 11 finding that keeps it from running, until its fix lands.
# Strict: once fixed, the case fails here until its entry goes.
FINDING_5 = "issue 11 finding 5: the download Job fixes the zonal volume away from the GPU pool"
KNOWN_BROKEN: dict[tuple[str, str], str] = {}  # finding 5 fixed (download Job placement)


def cases() -> list[Any]:
    params = []
    for chart in example_charts():
        for variant in variants(chart):
            marks = []
            reason = KNOWN_BROKEN.get((chart.name, variant.id))
            if reason:
                marks.append(pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason))
            params.append(
                pytest.param(chart, variant, id=f"{chart.name}@{variant.id}", marks=marks)
            )
    return params


@pytest.mark.parametrize(("chart", "variant"), cases())
def test_chart_schedules_and_runs_on_the_variant(
    scheduling_cluster: KubeCluster,
    helm3: Path,
    chart: ExampleChart,
    variant: Variant,
    tmp_path: Path,
) -> None:
    chart_dir, error = chart.path, ""
    if variant.pool != chart.node_pool:
        built, error = build_for_pool(chart, variant.pool, tmp_path)
        chart_dir = built or chart_dir
    if variant.unplaceable:
        assert error, f"built a chart for {variant.id}, which has no node: {variant.unplaceable}"
        print(f"MATRIX {chart.name}@{variant.id}: spec-time error: {error}")
        return
    assert not error, f"{variant.id} has a node for the spec, yet build refused it: {error}"
    values = yaml.safe_load((chart_dir / "values.yaml").read_text(encoding="utf-8"))
    cluster = scheduling_cluster
    name = case_name(chart.name, variant.pool)
    with prepared(cluster, name, variant, values) as namespace:
        outcome, seconds = install_and_settle(cluster, helm3, chart_dir, namespace)
        placed = ", ".join(f"{pod}->{node}" for pod, node in sorted(outcome.running.items()))
        state = f"Running in {seconds:.1f}s ({placed})" if outcome.ok else "FAILED"
        print(f"MATRIX {chart.name}@{variant.id}: {state}")
        assert outcome.ok, f"{chart.name} on {variant.id}:\n" + explain(cluster, namespace, outcome)
        # An upgrade rolls the pods and, with a download Job, creates a new Job beside the
        # running server, whose zonal ReadWriteOnce volume it must reach (finding 5).
        done = cluster.install_chart(
            helm3,
            chart_dir,
            "rel",
            namespace,
            set_values={"podLabels.upgraded": "yes"},
            upgrade=True,
        )
        assert done.returncode == 0, done.stderr
        outcome = settle(cluster, namespace)
        assert outcome.ok, f"{chart.name} on {variant.id}, after helm upgrade:\n" + explain(
            cluster, namespace, outcome
        )
