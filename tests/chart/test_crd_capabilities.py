"""Issue 11 finding 3: objects of CRD kinds (ServiceMonitor, PodMonitor, PodMonitoring, PrometheusRule,
ScaledObject, HTTPRoute, Route) render only when the cluster serves the kind, with a NOTES.txt line when
skipped; `helm install` on a cluster without the CRDs no longer fails with "no matches for kind".
The charts before issue 11 rendered them whatever the cluster served."""

from __future__ import annotations

from pathlib import Path

import helm_python
import pytest

from chartgen.chart.files import CRD_KINDS
from tests.chart.helpers import GENERATED, helm_template, objects
from tests.chart.test_node_pools import old_chart

CHARTS = sorted(p.name for p in GENERATED.iterdir() if (p / "Chart.yaml").is_file())
KINDS = {kind.rsplit("/", 1)[1] for kind in CRD_KINDS}


def crd_objects(helm: Path, chart: Path, *, crds: bool) -> set[str]:
    done = helm_template(helm, chart, crds=crds)
    assert done.returncode == 0, done.stderr
    return {o["kind"] for o in objects(done.stdout)} & KINDS


def notes(chart: Path, values: dict[str, object]) -> str:
    files = helm_python.Chart.load(chart).render(values, name="rel", namespace="ml")
    return next(text for name, text in files.items() if name.endswith("NOTES.txt"))


@pytest.mark.parametrize("name", CHARTS)
def test_crd_kinds_render_only_where_served(helm3: Path, name: str) -> None:
    chart = GENERATED / name
    served = crd_objects(helm3, chart, crds=True)
    assert crd_objects(helm3, chart, crds=False) == set()
    skipped = notes(chart, {})
    for kind in served:
        assert f"SKIPPED {kind}: the cluster does not serve" in skipped
    assert "SKIPPED" not in notes(chart, {"apiVersions": list(CRD_KINDS)})


def test_examples_use_crd_kinds() -> None:
    """The guard is exercised: the examples enable every guarded kind somewhere."""
    rendered: set[str] = set()
    for name in CHARTS:
        values = {"apiVersions": list(CRD_KINDS)}
        files = helm_python.Chart.load(GENERATED / name).render(values, name="r", namespace="ml")
        rendered |= {kind for kind in KINDS for text in files.values() if f"kind: {kind}" in text}
    expected = {"ServiceMonitor", "PodMonitoring", "PrometheusRule", "ScaledObject", "HTTPRoute"}
    assert rendered >= expected | {
        "Route",
        "GCPBackendPolicy",
        "HealthCheckPolicy",
        "InferencePool",
    }


@pytest.mark.parametrize(
    ("name", "kind"), [("llama-8b", "ServiceMonitor"), ("qwen-on-demand", "ScaledObject")]
)
def test_charts_before_issue_11_rendered_crd_kinds_on_any_cluster(
    helm3: Path, name: str, kind: str, tmp_path: Path
) -> None:
    assert kind in crd_objects(helm3, old_chart(name, tmp_path), crds=False)
