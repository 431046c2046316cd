"""Session fixture `scheduling_cluster`: etcd, kube-apiserver, kube-controller-manager,
kube-scheduler (tools/k8s/build.sh) and KWOK (tools/install-tools.sh) on loopback, one cluster
for the whole session (per xdist worker). Fails, never skips, when $CI is set."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.apiserver.cluster import KubeCluster, build_binaries
from tests.cluster.plane import scheduling_plane


@pytest.fixture(scope="session")
def cluster_bin_dir() -> Path:
    """kube-apiserver, kube-controller-manager, kube-scheduler and etcd, built on first use."""
    try:
        return build_binaries()
    except (OSError, RuntimeError) as exc:
        if os.environ.get("CI"):
            pytest.fail(f"cannot build the Kubernetes components in CI: {exc}")
        pytest.skip(
            f"cannot build the Kubernetes components (Go and its module proxy needed): {exc}"
        )


@pytest.fixture(scope="session")
def scheduling_cluster(
    cluster_bin_dir: Path, kwok: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[KubeCluster]:
    """A control plane that schedules and runs pods on fake nodes; stopped at session end."""
    with scheduling_plane(cluster_bin_dir, kwok, tmp_path_factory.mktemp("sched")) as cluster:
        yield cluster
