"""Every generated example chart, on a real kube-apiserver, with both real Helm CLIs:
install into a namespace enforcing restricted Pod Security, read back with server defaults,
upgrade with changed values, uninstall."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.apiserver.cluster import KubeCluster
from tests.chart.helpers import GENERATED

pytestmark = pytest.mark.apiserver
CHARTS = sorted(p for p in GENERATED.iterdir() if (p / "Chart.yaml").exists())
RESTRICTED = {
    f"pod-security.kubernetes.io/{mode}": "restricted" for mode in ("enforce", "warn", "audit")
}


def restricted_namespace(cluster: KubeCluster, base: str) -> str:
    name = re.sub(r"[^a-z0-9-]", "-", base)[:60]
    cluster.create_namespace(name, RESTRICTED)
    return name


def release_manifest(
    cluster: KubeCluster, helm: Path, release: str, namespace: str
) -> list[dict[str, Any]]:
    done = cluster.helm(helm, "get", "manifest", release, "-n", namespace)
    assert done.returncode == 0, done.stderr
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]


def workload_of(objs: list[dict[str, Any]]) -> dict[str, Any]:
    return next(o for o in objs if o["kind"] in ("Deployment", "StatefulSet"))


def quantities(resources: dict[str, dict[str, Any]]) -> dict[str, dict[str, float]]:
    from chartgen.quantity import parse_quantity

    return {
        kind: {name: parse_quantity(v) for name, v in values.items()}
        for kind, values in resources.items()
    }


def pod_from_template(workload: dict[str, Any], name: str) -> dict[str, Any]:
    """The pod the workload's controller would create (a StatefulSet adds its claim volumes)."""
    template = workload["spec"]["template"]
    spec = dict(template["spec"])
    claims = workload["spec"].get("volumeClaimTemplates", [])
    owner = workload["metadata"]["name"]
    spec["volumes"] = list(spec.get("volumes", [])) + [
        {
            "name": c["metadata"]["name"],
            "persistentVolumeClaim": {"claimName": f"{c['metadata']['name']}-{owner}-0"},
        }
        for c in claims
    ]
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": template["metadata"]["labels"]},
        "spec": spec,
    }


@pytest.mark.parametrize("chart", CHARTS, ids=lambda p: p.name)
def test_install_upgrade_uninstall(kube_cluster: KubeCluster, helm_cli: Path, chart: Path) -> None:
    namespace = restricted_namespace(kube_cluster, f"{chart.name}-{helm_cli.parent.name}")
    done = kube_cluster.install_chart(helm_cli, chart, "rel", namespace)
    assert done.returncode == 0, done.stderr
    assert "would violate PodSecurity" not in done.stderr
    objs = release_manifest(kube_cluster, helm_cli, "rel", namespace)
    for obj in objs:  # every object, custom resources (ServiceMonitor, Route...) included, stored
        stored_obj = kube_cluster.get_object(
            obj["apiVersion"], obj["kind"], namespace, obj["metadata"]["name"]
        )
        assert stored_obj is not None, (obj["kind"], obj["metadata"]["name"])
    workload = workload_of(objs)
    stored = kube_cluster.get_object(
        "apps/v1", workload["kind"], namespace, workload["metadata"]["name"]
    )
    assert stored is not None
    container = stored["spec"]["template"]["spec"]["containers"][0]
    assert container["terminationMessagePolicy"] == "File"  # a server-side default: really stored
    rendered = workload["spec"]["template"]["spec"]["containers"][0]["resources"]
    assert quantities(container["resources"]) == quantities(rendered)  # GPUs, memory incl. shm kept
    # Pod Security admission judges pods, not workloads: create the pod the workload would create.
    pod = pod_from_template(workload, "probe-pod")
    assert kube_cluster.call("POST", f"/api/v1/namespaces/{namespace}/pods", pod)["metadata"]["uid"]

    done = kube_cluster.install_chart(
        helm_cli, chart, "rel", namespace, set_values={"podLabels.upgraded": "yes"}, upgrade=True
    )
    assert done.returncode == 0, done.stderr
    stored = kube_cluster.get_object(
        "apps/v1", workload["kind"], namespace, workload["metadata"]["name"]
    )
    assert (
        stored is not None and stored["spec"]["template"]["metadata"]["labels"]["upgraded"] == "yes"
    )

    done = kube_cluster.uninstall_chart(helm_cli, "rel", namespace)
    assert done.returncode == 0, done.stderr
    assert (
        kube_cluster.get_object(
            "apps/v1", workload["kind"], namespace, workload["metadata"]["name"]
        )
        is None
    )


def test_helm3_client_dry_run_against_the_server(kube_cluster: KubeCluster, helm3: Path) -> None:
    namespace = restricted_namespace(kube_cluster, "helm3-dry-run")
    for chart in CHARTS:
        done = kube_cluster.helm(
            helm3, "install", "rel", str(chart), "-n", namespace, "--dry-run=client"
        )
        assert done.returncode == 0, f"{chart.name}: {done.stderr}"


def test_restricted_namespace_denies_a_root_pod(kube_cluster: KubeCluster) -> None:
    from tests.apiserver.cluster import ApiError

    namespace = restricted_namespace(kube_cluster, "psa-live")
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "root"},
        "spec": {
            "containers": [
                {"name": "c", "image": "busybox:1.36", "securityContext": {"privileged": True}}
            ]
        },
    }
    with pytest.raises(ApiError) as denied:
        kube_cluster.call("POST", f"/api/v1/namespaces/{namespace}/pods", pod)
    assert "violates PodSecurity" in str(denied.value.body)


def test_invalid_value_is_rejected_by_the_server_and_named(kube_cluster: KubeCluster) -> None:
    from chartgen.helm import get_engine
    from chartgen.helm.engine import RenderOptions
    from chartgen.manifests import parse_documents
    from chartgen.validate.server import server_dry_run

    namespace = restricted_namespace(kube_cluster, "invalid-value")
    options = RenderOptions(release="rel", namespace=namespace, set_values=["service.port=70000"])
    docs = get_engine("embedded").render(GENERATED / "llama-8b", options)
    objects = [o for d in docs for o in parse_documents(d.text, d.source)]
    findings = server_dry_run(objects, kube_cluster.kubeconfig, None, namespace)
    assert [f.json_path for f in findings if f.obj.kind == "Service"] == ["/spec/ports/0/port"]
    assert "65535" in findings[0].message


def test_lint_server_flag_reports_the_rejection_at_the_template_line(
    kube_cluster: KubeCluster,
) -> None:
    import subprocess
    import sys

    namespace = restricted_namespace(kube_cluster, "lint-server")
    argv = [
        sys.executable,
        "-m",
        "chartgen",
        "lint",
        "--server",
        "--kubeconfig",
        str(kube_cluster.kubeconfig),
        "-n",
        namespace,
        "--set",
        "service.port=70000",
        str(GENERATED / "llama-8b"),
    ]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    line = next(ln for ln in done.stdout.splitlines() if "[server-rejected]" in ln)
    assert line.startswith(str(GENERATED / "llama-8b" / "templates" / "service.yaml") + ":")
    assert "/spec/ports/0/port" in line
