"""Shared fixtures: the real, pinned tools built by tools/install-tools.sh (never fakes)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TOOLS_DIR = Path(os.environ.get("CHARTGEN_TOOLS_DIR", Path.home() / ".cache" / "chartgen-tools"))
HELM3 = TOOLS_DIR / "helm-v3.22.0" / "helm"
HELM4 = TOOLS_DIR / "helm-v4.3.1" / "helm"
KUBECONFORM = TOOLS_DIR / "kubeconform-v0.7.0" / "kubeconform"
HELM_DOCS = TOOLS_DIR / "helm-docs-v1.14.2" / "helm-docs"
KWOK = TOOLS_DIR / "kwok-v0.8.0" / "kwok"
CYCLONUS = TOOLS_DIR / "cyclonus-v0.5.6" / "cyclonus"


def _require(path: Path) -> Path:
    if not path.exists():
        if os.environ.get("CI"):
            raise RuntimeError(f"{path} missing: .ci/run must build it with tools/install-tools.sh")
        subprocess.run([str(REPO / "tools" / "install-tools.sh")], check=True)
    return path


GO_WORKER_BUILD = REPO / "tools" / "build-render-worker.sh"


@pytest.fixture(scope="session", autouse=True)
def _render_worker_built() -> None:
    """The embedded engine renders with chartgen-render, built from render-worker/ (current),
    as a user's checkout does after tools/build-render-worker.sh; tests that need the SDK
    worker ask for it (CHARTGEN_RENDER_WORKER=sdk)."""
    if subprocess.run([str(GO_WORKER_BUILD), "--check"], check=False).returncode == 0:
        return
    if os.environ.get("CI"):
        raise RuntimeError("chartgen-render missing or stale: .ci/run must build it")
    subprocess.run([str(GO_WORKER_BUILD)], check=True)


@pytest.fixture(scope="session")
def helm3() -> Path:
    return _require(HELM3)


@pytest.fixture(scope="session")
def helm4() -> Path:
    return _require(HELM4)


@pytest.fixture(scope="session", params=["helm3", "helm4"])
def helm_cli(request: pytest.FixtureRequest) -> Path:
    """Each real Helm CLI in turn."""
    return _require(HELM3 if request.param == "helm3" else HELM4)


@pytest.fixture(scope="session")
def kubeconform() -> Path:
    return _require(KUBECONFORM)


@pytest.fixture(scope="session")
def helm_docs() -> Path:
    return _require(HELM_DOCS)


@pytest.fixture(scope="session")
def kwok() -> Path:
    return _require(KWOK)


@pytest.fixture(scope="session")
def cyclonus() -> Path:
    return _require(CYCLONUS)
