"""Issue 11 finding 3, GKE: managed collection (Google Cloud Managed Service for Prometheus, on by
default on GKE) scrapes PodMonitoring resources and never reads a ServiceMonitor, so a GKE chart
renders a PodMonitoring beside its ServiceMonitor, each only where the cluster serves the kind.
The charts before issue 11 had no PodMonitoring: on a stock GKE cluster nothing was scraped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from chartgen import catalog
from tests.chart.helpers import GENERATED, helm_template, objects
from tests.chart.test_node_pools import old_chart

CHARTS = sorted(p.name for p in GENERATED.iterdir() if (p / "Chart.yaml").is_file())
PODMONITORING = "monitoring.googleapis.com/v1/PodMonitoring"


def platform_of(chart: Path) -> str:
    meta = yaml.safe_load((chart / "Chart.yaml").read_text(encoding="utf-8"))
    return str(meta["annotations"]["chartgen.dev/platform"])


def render(helm: Path, chart: Path, *api_versions: str) -> list[dict[str, Any]]:
    served = [arg for api in api_versions for arg in ("--api-versions", api)]
    done = helm_template(helm, chart, *served, crds=False)
    assert done.returncode == 0, done.stderr
    return objects(done.stdout)


def of_kind(objs: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [o for o in objs if o["kind"] == kind]


@pytest.mark.parametrize("name", CHARTS)
def test_pod_monitoring_where_the_platform_collects_it(helm3: Path, name: str) -> None:
    chart = GENERATED / name
    values = yaml.safe_load((chart / "values.yaml").read_text(encoding="utf-8"))
    scraped = (
        values["metrics"]["serviceMonitor"]["enabled"] or values["metrics"]["podMonitor"]["enabled"]
    )
    expected = scraped and catalog.platform(platform_of(chart)).pod_monitoring
    monitors = of_kind(render(helm3, chart, PODMONITORING), "PodMonitoring")
    assert bool(monitors) == expected, name
    assert of_kind(render(helm3, chart), "PodMonitoring") == []  # guarded by the capability
    if monitors:
        spec = monitors[0]["spec"]
        endpoint = spec["endpoints"][0]
        assert endpoint["port"] == values["metrics"]["port"]
        assert endpoint["path"] == values["metrics"]["path"]
        relabel = endpoint["metricRelabeling"][0]
        assert relabel["targetLabel"] == "service" and relabel["replacement"] == f"rel-{name}"


@pytest.mark.parametrize("name", ["phi-gke-mig", "llama-70b"])
def test_gke_charts_before_issue_11_had_no_pod_monitoring(
    helm3: Path, name: str, tmp_path: Path
) -> None:
    chart = old_chart(name, tmp_path)
    assert platform_of(chart) == "gke"
    assert of_kind(render(helm3, chart, PODMONITORING), "PodMonitoring") == []
