"""A `helm create` chart installs, upgrades and uninstalls with the real Helm 3 and Helm 4 CLIs."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from .cluster import KubeCluster

pytestmark = pytest.mark.apiserver


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, f"{done.args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_helm_create_chart_lifecycle(
    kube_cluster: KubeCluster, helm_cli: Path, tmp_path: Path
) -> None:
    namespace = "lifecycle-" + helm_cli.parent.name.replace(".", "-")  # e.g. helm-v3-22-0
    chart = tmp_path / "demo"
    _ok(kube_cluster.helm(helm_cli, "create", str(chart)))

    _ok(kube_cluster.install_chart(helm_cli, chart, "demo", namespace))
    deployment = kube_cluster.get_object("apps/v1", "Deployment", namespace, "demo")
    assert deployment is not None
    assert deployment["spec"]["replicas"] == 1
    assert deployment["spec"]["strategy"]["type"] == "RollingUpdate"  # server default
    service = kube_cluster.get_object("v1", "Service", namespace, "demo")
    assert service is not None
    assert service["spec"]["clusterIP"].startswith("10.0.0.")  # allocated by the server
    assert kube_cluster.get_object("v1", "ServiceAccount", namespace, "demo") is not None
    assert (
        kube_cluster.get_object("v1", "Secret", namespace, "sh.helm.release.v1.demo.v1") is not None
    )

    values = tmp_path / "bigger.yaml"
    values.write_text("replicaCount: 3\n", encoding="utf-8")
    upgraded = kube_cluster.install_chart(
        helm_cli,
        chart,
        "demo",
        namespace,
        values_files=[values],
        set_values={"service.port": "8080"},
        upgrade=True,
    )
    _ok(upgraded)
    deployment = kube_cluster.get_object("apps/v1", "Deployment", namespace, "demo")
    service = kube_cluster.get_object("v1", "Service", namespace, "demo")
    assert deployment is not None and service is not None
    assert deployment["spec"]["replicas"] == 3
    assert service["spec"]["ports"][0]["port"] == 8080
    history = json.loads(
        _ok(kube_cluster.helm(helm_cli, "history", "demo", "-n", namespace, "-o", "json"))
    )
    assert [entry["revision"] for entry in history] == [1, 2]
    assert history[-1]["status"] == "deployed"

    _ok(kube_cluster.uninstall_chart(helm_cli, "demo", namespace))
    for api_version, kind in (
        ("apps/v1", "Deployment"),
        ("v1", "Service"),
        ("v1", "ServiceAccount"),
    ):
        assert kube_cluster.get_object(api_version, kind, namespace, "demo") is None
    releases = json.loads(_ok(kube_cluster.helm(helm_cli, "list", "-n", namespace, "-o", "json")))
    assert releases == []
