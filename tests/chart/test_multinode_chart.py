"""The multi-node example chart (llama-405b): one LeaderWorkerSet whose leader alone serves,
probes and drains; workers join it by the variables LWS injects; the group is one unit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.chart.helpers import GENERATED, find, helm_template, objects

CHART = GENERATED / "llama-405b"


@pytest.fixture(scope="module")
def rendered(helm3: Path) -> list[dict[str, Any]]:
    done = helm_template(helm3, CHART)
    assert done.returncode == 0, done.stderr
    return objects(done.stdout)


def group(objs: list[dict[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = find(objs, "LeaderWorkerSet")["spec"]
    return found


def server(template: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = template["spec"]["containers"][0]
    return found


def test_group_shape_and_policies(rendered: list[dict[str, Any]]) -> None:
    spec = group(rendered)
    assert spec["leaderWorkerTemplate"]["size"] == 2
    assert spec["startupPolicy"] == "LeaderCreated"  # LeaderReady would wait forever
    assert spec["leaderWorkerTemplate"]["restartPolicy"] == "RecreateGroupOnPodRestart"
    assert spec["rolloutStrategy"] == {
        "type": "RollingUpdate",
        "rollingUpdateConfiguration": {"maxSurge": 0, "maxUnavailable": 1},
    }
    claims = spec["leaderWorkerTemplate"]["volumeClaimTemplates"]
    assert [c["metadata"]["name"] for c in claims] == ["cache"]


def test_leader_serves_workers_join(rendered: list[dict[str, Any]]) -> None:
    templates = group(rendered)["leaderWorkerTemplate"]
    leader, worker = server(templates["leaderTemplate"]), server(templates["workerTemplate"])
    for container in (leader, worker):
        assert container["resources"]["limits"]["nvidia.com/gpu"] == 8
        args = container["args"]
        assert args[args.index("--tensor-parallel-size") + 1] == "8"
        assert args[args.index("--pipeline-parallel-size") + 1] == "2"
        assert args[args.index("--master-addr") + 1] == "$(LWS_LEADER_ADDRESS)"
    assert leader["args"][leader["args"].index("--node-rank") + 1] == "0"
    assert worker["args"][worker["args"].index("--node-rank") + 1] == "$(LWS_WORKER_INDEX)"
    assert "--headless" in worker["args"] and "--headless" not in leader["args"]
    assert {"startupProbe", "readinessProbe", "livenessProbe", "ports"} <= set(leader)
    assert not {"startupProbe", "readinessProbe", "livenessProbe", "ports", "lifecycle"} & set(
        worker
    )
    for template in (templates["leaderTemplate"], templates["workerTemplate"]):
        mounts = {m["name"]: m["mountPath"] for m in server(template)["volumeMounts"]}
        assert mounts["shm"] == "/dev/shm" and mounts["cache"] == "/cache"


def test_service_selects_the_leader_only(rendered: list[dict[str, Any]]) -> None:
    service = find(rendered, "Service")
    templates = group(rendered)["leaderWorkerTemplate"]
    selector = service["spec"]["selector"]
    leader = templates["leaderTemplate"]["metadata"]["labels"]
    worker = templates["workerTemplate"]["metadata"]["labels"]
    assert all(leader.get(k) == v for k, v in selector.items())
    assert not all(worker.get(k) == v for k, v in selector.items())
    # LWS makes a headless Service named after the set and keeps one that exists: never this one
    assert find(rendered, "LeaderWorkerSet")["metadata"]["name"] != service["metadata"]["name"]


def test_group_pods_reach_each_other(rendered: list[dict[str, Any]]) -> None:
    policy = find(rendered, "NetworkPolicy")["spec"]
    labels = group(rendered)["leaderWorkerTemplate"]["workerTemplate"]["metadata"]["labels"]
    peers = [
        rule["from"][0]["podSelector"]["matchLabels"]
        for rule in policy["ingress"]
        if "ports" not in rule and "podSelector" in rule["from"][0]
    ]
    assert any(all(labels.get(k) == v for k, v in peer.items()) for peer in peers)
    assert any("to" in rule and "podSelector" in rule["to"][0] for rule in policy["egress"])


def test_no_ready_alert_watches_the_leader_statefulset(rendered: list[dict[str, Any]]) -> None:
    rules = find(rendered, "PrometheusRule")["spec"]["groups"][0]["rules"]
    expr = next(r["expr"] for r in rules if r["alert"] == "ModelServerNoReadyReplicas")
    name = find(rendered, "LeaderWorkerSet")["metadata"]["name"]
    assert f'statefulset="{name}"' in expr and "kube_statefulset_status_replicas_ready" in expr


def test_without_the_lws_api_nothing_fronts_a_missing_workload(helm3: Path) -> None:
    done = helm_template(helm3, CHART, crds=False)
    assert done.returncode == 0, done.stderr
    kinds = {o["kind"] for o in objects(done.stdout)}
    assert not kinds & {"LeaderWorkerSet", "Service", "PodDisruptionBudget"}
    assert "Pod" not in kinds  # the helm test would call a Service that is not there
