"""Charts as they are now and as they were before issue 12 (commit 2471155), rendered by real Helm.

Every issue-12 test checks a behaviour on the current chart and shows that the same check fails
on the chart as it was, so the test proves the fix rather than the catalog.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest

from tests.chart.helpers import GENERATED, REPO, helm_template, objects, pod_template, workload_of

BEFORE = "2471155"  # the last commit before the issue-12 fixes


def old_chart(name: str, into: Path) -> Path:
    """generated-charts/NAME as committed at BEFORE, extracted under `into`."""
    _extract_before([f"generated-charts/{name}"], into)
    return into / "generated-charts" / name


def _extract_before(paths: list[str], into: Path) -> None:
    """`paths` as committed at BEFORE, extracted under `into` (git history is needed in CI)."""
    done = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", BEFORE, *paths],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        if os.environ.get("CI"):
            raise AssertionError(f"git history up to {BEFORE} is needed: {done.stderr!r}")
        pytest.skip(f"commit {BEFORE} not in this checkout")
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
        archive.extractall(into, filter="data")


def new_chart(name: str) -> Path:
    return GENERATED / name


def render(helm: Path, chart: Path, *args: str) -> list[dict[str, Any]]:
    done = helm_template(helm, chart, *args)
    assert done.returncode == 0, done.stderr
    return objects(done.stdout)


def of_kind(objs: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [o for o in objs if o["kind"] == kind]


def server_container(objs: list[dict[str, Any]]) -> dict[str, Any]:
    """The model server (a LeaderWorkerSet's leader)."""
    return server_containers(objs)[0]


def server_containers(objs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The model server of every pod template: a LeaderWorkerSet's leader, then its worker."""
    workload = workload_of(objs)
    templates = [pod_template(workload)]
    if workload["kind"] == "LeaderWorkerSet":
        templates.append(workload["spec"]["leaderWorkerTemplate"]["workerTemplate"])
    return [
        next(c for c in t["spec"]["containers"] if c["name"] == "model-server") for t in templates
    ]


def old_build(spec: Path, into: Path) -> Path:
    """The chart chartgen as it was at BEFORE generates from `spec` (for specs no old example
    covers): that commit's package, run from a scratch copy."""
    done = old_run(spec, into)
    assert done.returncode == 0, done.stderr
    (chart,) = [p for p in (into / "old-out").iterdir() if p.is_dir()]
    return chart


def old_run(spec: Path, into: Path) -> subprocess.CompletedProcess[str]:
    """`chartgen build SPEC` as it was at BEFORE, output under into/old-out."""
    tree = into / "chartgen-before"
    if not tree.exists():
        _extract_before(["chartgen", "schemas"], tree)
        (tree / "chartgen" / "_schemas").symlink_to(tree / "schemas")
    out = into / "old-out"
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [sys.executable, "-m", "chartgen", "build", str(spec), "-o", str(out)],
        env=env,
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )


def new_build(spec: Path, into: Path) -> Path:
    done = new_run(spec, into)
    assert done.returncode == 0, done.stderr
    (chart,) = [p for p in (into / "new-out").iterdir() if p.is_dir()]
    return chart


def new_run(spec: Path, into: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chartgen", "build", str(spec), "-o", str(into / "new-out")],
        capture_output=True,
        text=True,
        check=False,
    )
