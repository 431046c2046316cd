"""Session fixture `kube_cluster`: a real etcd + kube-apiserver (tools/k8s/build.sh) for the
whole test session, with the CRDs under schemas/crds installed. Never skipped when $CI is set."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from .cluster import KubeCluster, build_binaries, control_plane


@pytest.fixture(scope="session")
def kube_bin_dir() -> Path:
    """kube-apiserver and etcd, built on first use and cached by version outside the repo."""
    try:
        return build_binaries()
    except (OSError, RuntimeError) as exc:
        if os.environ.get("CI"):
            pytest.fail(f"cannot build kube-apiserver/etcd in CI: {exc}")
        pytest.skip(f"cannot build kube-apiserver/etcd (Go and the Go module proxy needed): {exc}")


@pytest.fixture(scope="session")
def kube_cluster(
    kube_bin_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[KubeCluster]:
    """A running control plane; stopped (both process groups) at the end of the session."""
    with control_plane(kube_bin_dir, tmp_path_factory.mktemp("kube")) as cluster:
        yield cluster


@pytest.fixture
def namespace(kube_cluster: KubeCluster, request: pytest.FixtureRequest) -> str:
    """A fresh namespace per test (namespaces are never deleted: no namespace controller)."""
    name = re.sub(r"[^a-z0-9-]+", "-", request.node.name.lower()).strip("-")[:50].strip("-")
    kube_cluster.create_namespace(name)
    return name
