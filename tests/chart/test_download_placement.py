"""Issue 11 finding 5: the download Job cannot strand the model volume. It is placed like the
model server (node selector, affinity, tolerations), so the zonal ReadWriteOnce volume that
WaitForFirstConsumer binds to the Job's zone is one the GPU pods can attach; on `helm upgrade`
it runs on the running server's node, where that volume is attached. The Job of the charts
before issue 11 had no placement at all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.chart.helpers import GENERATED, helm_template, objects, pod_spec, server_workload
from tests.chart.test_node_pools import old_chart

JOB_CHARTS = ["llama-70b"]


def rendered(helm: Path, chart: Path, *args: str) -> tuple[dict[str, Any], dict[str, Any]]:
    done = helm_template(helm, chart, *args)
    assert done.returncode == 0, done.stderr
    objs = objects(done.stdout)
    job = next(o for o in objs if o["kind"] == "Job")
    return pod_spec(objs), job["spec"]["template"]["spec"]


def placement_gaps(server: dict[str, Any], job: dict[str, Any]) -> list[str]:
    gaps = [
        f"{field} differs"
        for field in ("nodeSelector", "tolerations")
        if server.get(field) != job.get(field)
    ]
    server_node = server.get("affinity", {}).get("nodeAffinity")
    if server_node != job.get("affinity", {}).get("nodeAffinity"):
        gaps.append("nodeAffinity differs")
    return gaps


@pytest.mark.parametrize("name", JOB_CHARTS)
def test_download_job_is_placed_like_the_server(helm3: Path, name: str) -> None:
    server, job = rendered(helm3, GENERATED / name)
    assert server.get("nodeSelector"), "the example pins its GPU nodes"
    assert placement_gaps(server, job) == []
    assert "podAffinity" not in job.get("affinity", {})


@pytest.mark.parametrize("name", JOB_CHARTS)
def test_download_job_on_upgrade_runs_beside_the_server(helm3: Path, name: str) -> None:
    _, job = rendered(helm3, GENERATED / name, "--is-upgrade")
    (term,) = job["affinity"]["podAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
    assert term["topologyKey"] == "kubernetes.io/hostname"
    workload_labels = server_labels(helm3, GENERATED / name)
    assert term["labelSelector"]["matchLabels"].items() <= workload_labels.items()


def server_labels(helm: Path, chart: Path) -> dict[str, str]:
    done = helm_template(helm, chart)
    workload = server_workload(objects(done.stdout))
    labels: dict[str, str] = workload["spec"]["template"]["metadata"]["labels"]
    return labels


@pytest.mark.parametrize("name", JOB_CHARTS)
def test_download_job_before_issue_11_could_land_anywhere(
    helm3: Path, name: str, tmp_path: Path
) -> None:
    server, job = rendered(helm3, old_chart(name, tmp_path))
    assert "nodeSelector differs" in placement_gaps(server, job)


def test_download_job_is_refused_on_gke_autopilot(tmp_path: Path) -> None:
    """GKE Autopilot refuses pods that tolerate GPU nodes without requesting a GPU
    (GoogleCloudPlatform/k8s-stackdriver#1081), and the download Job must share the GPU nodes:
    llama-70b retargeted at Autopilot is refused at the spec line, on the default pool it builds."""
    import subprocess
    import sys

    from tests.chart.helpers import EXAMPLES, REPO

    spec = yaml.safe_load((EXAMPLES / "vllm-llama-70b-gke.yaml").read_text(encoding="utf-8"))
    assert spec["spec"]["model"]["cache"]["download"] == "job"
    spec["spec"].setdefault("scheduling", {})["nodePool"] = "autopilot"
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    argv = [sys.executable, "-m", "chartgen", "build", str(path), "-o", str(tmp_path / "out")]
    done = subprocess.run(argv, capture_output=True, text=True, cwd=REPO, check=False)
    assert done.returncode == 2, done.stderr
    assert "a download Job cannot run on GKE Autopilot" in done.stderr
    assert f"{path}:" in done.stderr
