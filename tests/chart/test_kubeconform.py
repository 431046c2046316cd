"""Every example chart validates with the real kubeconform, -strict, Kubernetes 1.30 to 1.37,
CRD kinds against their schemas (never skipped)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.chart.helpers import GENERATED, helm_template

KUBE_VERSIONS = [f"1.{minor}" for minor in range(30, 38)]


@pytest.fixture(scope="module")
def rendered_stream(helm3: Path) -> str:
    charts = sorted(p for p in GENERATED.iterdir() if (p / "Chart.yaml").exists())
    texts = []
    for chart in charts:
        done = helm_template(helm3, chart)
        assert done.returncode == 0, done.stderr
        texts.append(done.stdout)
    return "\n---\n".join(texts)


@pytest.mark.parametrize("kube_version", KUBE_VERSIONS)
def test_examples_pass_kubeconform_strict(
    kubeconform: Path, rendered_stream: str, kube_version: str, tmp_path: Path
) -> None:
    from chartgen.validate.export import export_kubeconform_layout, kubeconform_locations

    export_kubeconform_layout(tmp_path, kube_version, True)
    locations = [
        arg for loc in kubeconform_locations(tmp_path) for arg in ("-schema-location", loc)
    ]
    done = subprocess.run(
        [
            str(kubeconform),
            "-strict",
            "-summary",
            "-output",
            "json",
            "-kubernetes-version",
            f"{kube_version}.0",
            *locations,
            "-",
        ],
        input=rendered_stream,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(done.stdout)
    assert done.returncode == 0, [r for r in report["resources"] if r["status"] != "statusValid"]
    assert report["summary"]["skipped"] == 0
    assert report["summary"]["valid"] > 100
