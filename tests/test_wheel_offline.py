"""The built wheel, installed non-editable in a fresh venv, renders and schema-validates a chart
with networking unavailable (a new network namespace with no interfaces up)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "examples" / "vllm-llama-8b.yaml"


def run(*argv: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    # Without the caller's PYTHONPATH: a source tree on it would make pip skip the wheel
    # ("already satisfied") and the venv would run that tree instead of the installed package.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [str(a) for a in argv], capture_output=True, text=True, cwd=cwd, check=False, env=env
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    built = run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-w",
        work / "dist",
        REPO,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (work / "dist").glob("chartgen-*.whl")
    assert run(sys.executable, "-m", "venv", work / "venv").returncode == 0
    pip = run(work / "venv" / "bin" / "python", "-m", "pip", "install", "--quiet", wheel)
    assert pip.returncode == 0, pip.stderr
    return work


@pytest.mark.slow
def test_wheel_renders_and_validates_offline(installed: Path) -> None:
    if not shutil.which("unshare"):
        pytest.fail("unshare (util-linux) is needed to cut the network")
    chartgen = installed / "venv" / "bin" / "chartgen"
    offline = ["unshare", "--net", "--"]
    spec = installed / "spec.yaml"
    shutil.copy(SPEC, spec)
    built = run(*offline, chartgen, "build", spec, "-o", installed / "charts", cwd=installed)
    assert built.returncode == 0, built.stderr
    chart = installed / "charts" / "llama-8b"
    rendered = run(*offline, chartgen, "template", spec, cwd=installed)
    assert rendered.returncode == 0, rendered.stderr
    # llama-8b caches the model per replica (ReadWriteOnce claims), hence a StatefulSet
    assert "kind: StatefulSet" in rendered.stdout
    linted = run(
        *offline, chartgen, "lint", "--schema-only", "--kube-version", "1.30", chart, cwd=installed
    )
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert "0 errors" in linted.stdout
    broken = installed / "broken.yaml"
    broken.write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replicas: two}\n"
    )
    failed = run(*offline, chartgen, "lint", "--schema-only", broken, cwd=installed)
    assert failed.returncode == 1 and "/spec/replicas" in failed.stdout
    where = run(
        installed / "venv" / "bin" / "python",
        "-c",
        "import chartgen; print(chartgen.__file__)",
        cwd=installed,
    )
    assert str(installed / "venv") in where.stdout  # the wheel, not the checkout
