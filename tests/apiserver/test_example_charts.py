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
from tests.chart.helpers import GENERATED, WORKLOAD_KINDS, pod_template

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


API_VERSIONS = {"LeaderWorkerSet": "leaderworkerset.x-k8s.io/v1"}  # else apps/v1


def workload_of(objs: list[dict[str, Any]]) -> dict[str, Any]:
    return next(
        o
        for o in objs
        if o["kind"] in WORKLOAD_KINDS
        and any(c["name"] == "model-server" for c in pod_template(o)["spec"]["containers"])
    )


def api_version(workload: dict[str, Any]) -> str:
    return API_VERSIONS.get(workload["kind"], "apps/v1")


def templates(workload: dict[str, Any]) -> list[dict[str, Any]]:
    """Every pod template: a LeaderWorkerSet's leader and worker templates."""
    if workload["kind"] == "LeaderWorkerSet":
        group = workload["spec"]["leaderWorkerTemplate"]
        return [group["leaderTemplate"], group["workerTemplate"]]
    return [workload["spec"]["template"]]


def server_default_applied(stored: dict[str, Any]) -> bool:
    """A default only the server fills in: the pod template's terminationMessagePolicy for
    built-in kinds; for a LeaderWorkerSet the CRD schema's partition default (kubebuilder
    default=0 in leaderworkerset_types.go; CRDs do not default embedded pod templates)."""
    if stored["kind"] == "LeaderWorkerSet":
        rolling = stored["spec"]["rolloutStrategy"]["rollingUpdateConfiguration"]
        return bool(rolling.get("partition") == 0)
    container = stored["spec"]["template"]["spec"]["containers"][0]
    return bool(container.get("terminationMessagePolicy") == "File")


def claim_templates(workload: dict[str, Any]) -> list[dict[str, Any]]:
    spec = workload["spec"]
    found: list[dict[str, Any]] = (spec.get("leaderWorkerTemplate") or spec).get(
        "volumeClaimTemplates", []
    )
    return found


def quantities(resources: dict[str, dict[str, Any]]) -> dict[str, dict[str, float]]:
    from chartgen.quantity import parse_quantity

    return {
        kind: {name: parse_quantity(v) for name, v in values.items()}
        for kind, values in resources.items()
    }


def pod_from_template(
    workload: dict[str, Any], name: str, template: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The pod the workload's controller would create (a StatefulSet adds its claim volumes)."""
    template = template or pod_template(workload)
    spec = dict(template["spec"])
    claims = claim_templates(workload)
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
    api = api_version(workload)
    stored = kube_cluster.get_object(api, workload["kind"], namespace, workload["metadata"]["name"])
    assert stored is not None
    assert server_default_applied(stored)  # really stored, through the server's defaulting
    for index, (kept, template) in enumerate(
        zip(templates(stored), templates(workload), strict=True)
    ):
        container = kept["spec"]["containers"][0]
        rendered = template["spec"]["containers"][0]["resources"]
        assert quantities(container["resources"]) == quantities(rendered)  # GPUs, memory + shm
        # Pod Security admission judges pods, not workloads: create the pods it would create.
        pod = pod_from_template(workload, f"probe-pod-{index}", template)
        reply = kube_cluster.call("POST", f"/api/v1/namespaces/{namespace}/pods", pod)
        assert reply["metadata"]["uid"]

    done = kube_cluster.install_chart(
        helm_cli, chart, "rel", namespace, set_values={"podLabels.upgraded": "yes"}, upgrade=True
    )
    assert done.returncode == 0, done.stderr
    stored = kube_cluster.get_object(api, workload["kind"], namespace, workload["metadata"]["name"])
    assert stored is not None
    assert all(t["metadata"]["labels"]["upgraded"] == "yes" for t in templates(stored))

    done = kube_cluster.uninstall_chart(helm_cli, "rel", namespace)
    assert done.returncode == 0, done.stderr
    assert (
        kube_cluster.get_object(api, workload["kind"], namespace, workload["metadata"]["name"])
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
