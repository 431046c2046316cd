"""Every example chart with the real tools: helm lint --strict, template, install --dry-run, schema."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.chart.helpers import GENERATED, helm_template

CHARTS = sorted(p for p in GENERATED.iterdir() if (p / "Chart.yaml").exists())


@pytest.mark.parametrize("chart", CHARTS, ids=lambda p: p.name)
def test_helm_lint_strict(helm_cli: Path, chart: Path) -> None:
    done = subprocess.run(
        [str(helm_cli), "lint", "--strict", str(chart)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for variant in sorted((chart / "ci").glob("*-values.yaml")):
        done = subprocess.run(
            [str(helm_cli), "lint", "--strict", str(chart), "-f", str(variant)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, f"{variant.name}: {done.stdout}{done.stderr}"


@pytest.mark.parametrize("chart", CHARTS, ids=lambda p: p.name)
def test_install_dry_run_client(helm4: Path, chart: Path) -> None:
    # Helm 3's install needs a reachable cluster even with --dry-run=client (its client-only mode
    # is `helm template`): the Helm 3 dry run runs against the real API server in tests/apiserver.
    done = subprocess.run(
        [str(helm4), "install", "rel", str(chart), "-n", "ml", "--dry-run=client"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("chart", CHARTS[:3], ids=lambda p: p.name)
def test_typo_in_set_fails_through_values_schema(helm_cli: Path, chart: Path) -> None:
    done = helm_template(helm_cli, chart, "--set", "replicaCont=3")
    assert done.returncode != 0
    assert "replicaCont" in done.stderr
    done = helm_template(helm_cli, chart, "--set", "image.pullPolicy=Sometimes")
    assert done.returncode != 0 and "pullPolicy" in done.stderr


def test_embedded_and_cli_engines_render_identical_manifests(helm3: Path) -> None:
    from chartgen.helm import get_engine
    from chartgen.helm.engine import RenderOptions

    embedded, cli = get_engine("embedded"), get_engine("cli", str(helm3))
    options = RenderOptions(release="rel", namespace="ml")
    for chart in CHARTS:
        left = sorted((d.source, d.text) for d in embedded.render(chart, options))
        right = sorted((d.source, d.text) for d in cli.render(chart, options))
        assert left == right, chart.name
