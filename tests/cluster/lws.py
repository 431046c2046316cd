"""What the LeaderWorkerSet controller would create for each LeaderWorkerSet of a namespace, made
by the test (the scheduling cluster runs no LWS controller): the headless Service named after the
set, and per group a leader pod <lws>-<g> and worker pods <lws>-<g>-<w> from the two templates,
with the labels, annotations, hostname/subdomain and LWS_* variables the controller and its pod
webhook add, and a claim per pod from volumeClaimTemplates (the StatefulSets LWS makes own them).
Source: kubernetes-sigs/lws v0.9.0 api/leaderworkerset/v1/leaderworkerset_types.go (label keys),
pkg/utils/pod/pod_utils.go AddLWSVariables, pkg/utils/controller/controller_utils.go
CreateHeadlessServiceIfNotExists."""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from tests.apiserver.cluster import KubeCluster
from tests.cluster.objects import items

GROUP = "leaderworkerset.x-k8s.io/v1"
PREFIX = "leaderworkerset.sigs.k8s.io"


def leaderworkersets(cluster: KubeCluster, namespace: str) -> list[dict[str, Any]]:
    status, body = cluster.request("GET", f"/apis/{GROUP}/namespaces/{namespace}/leaderworkersets")
    return list(body.get("items") or []) if status == 200 else []


def group_pods(lws: dict[str, Any]) -> list[dict[str, Any]]:
    """Every pod of every group, as the controller names and labels them."""
    name, namespace = lws["metadata"]["name"], lws["metadata"]["namespace"]
    template = lws["spec"]["leaderWorkerTemplate"]
    size = int(template.get("size", 1))
    pods = []
    for group in range(int(lws["spec"].get("replicas", 1))):
        key = hashlib.sha1(f"{namespace}/{name}-{group}".encode()).hexdigest()
        for worker in range(size):
            source = template.get("leaderTemplate") if worker == 0 else None
            pod_name = f"{name}-{group}" if worker == 0 else f"{name}-{group}-{worker}"
            pods.append(
                _pod(lws, source or template["workerTemplate"], pod_name, group, worker, key)
            )
    return pods


def _pod(
    lws: dict[str, Any], template: dict[str, Any], pod_name: str, group: int, worker: int, key: str
) -> dict[str, Any]:
    name, namespace = lws["metadata"]["name"], lws["metadata"]["namespace"]
    size = str(lws["spec"]["leaderWorkerTemplate"].get("size", 1))
    spec = copy.deepcopy(template["spec"])
    spec["hostname"], spec["subdomain"] = pod_name, name
    env = [
        {"name": "LWS_LEADER_ADDRESS", "value": f"{name}-{group}.{name}.{namespace}"},
        {"name": "LWS_GROUP_SIZE", "value": size},
        {"name": "LWS_WORKER_INDEX", "value": str(worker)},
    ]
    for container in spec.get("containers", []) + spec.get("initContainers", []):
        container["env"] = env + list(container.get("env") or [])
    claims = lws["spec"]["leaderWorkerTemplate"].get("volumeClaimTemplates") or []
    spec["volumes"] = list(spec.get("volumes") or []) + [
        {
            "name": c["metadata"]["name"],
            "persistentVolumeClaim": {"claimName": f"{c['metadata']['name']}-{pod_name}"},
        }
        for c in claims
    ]
    labels = {
        **(template.get("metadata") or {}).get("labels", {}),
        f"{PREFIX}/name": name,
        f"{PREFIX}/group-index": str(group),
        f"{PREFIX}/worker-index": str(worker),
        f"{PREFIX}/group-key": key,
    }
    annotations = {
        **(template.get("metadata") or {}).get("annotations", {}),
        f"{PREFIX}/size": size,
    }
    if worker:
        annotations[f"{PREFIX}/leader-name"] = f"{name}-{group}"
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": pod_name, "labels": labels, "annotations": annotations},
        "spec": spec,
    }


def claims_for(lws: dict[str, Any], pod: dict[str, Any]) -> list[dict[str, Any]]:
    """The claims the controller's StatefulSets create for one pod."""
    found = []
    for claim in lws["spec"]["leaderWorkerTemplate"].get("volumeClaimTemplates") or []:
        body = copy.deepcopy(claim)
        body["apiVersion"], body["kind"] = "v1", "PersistentVolumeClaim"
        body["metadata"] = {
            "name": f"{claim['metadata']['name']}-{pod['metadata']['name']}",
            "labels": dict(claim["metadata"].get("labels") or {}),
        }
        found.append(body)
    return found


def headless_service(lws: dict[str, Any]) -> dict[str, Any]:
    name = lws["metadata"]["name"]
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "labels": {f"{PREFIX}/name": name}},
        "spec": {
            "clusterIP": "None",
            "selector": {f"{PREFIX}/name": name},
            "publishNotReadyAddresses": True,
        },
    }


def act_as_controller(cluster: KubeCluster, namespace: str) -> int:
    """Create what LWS would for every LeaderWorkerSet of the namespace (once); the pod count."""
    existing = {
        p["metadata"]["name"] for p in items(cluster, f"/api/v1/namespaces/{namespace}/pods")
    }
    created = 0
    for lws in leaderworkersets(cluster, namespace):
        # 409 when it exists already: the controller keeps an existing Service of that name
        cluster.request("POST", f"/api/v1/namespaces/{namespace}/services", headless_service(lws))
        for pod in group_pods(lws):
            if pod["metadata"]["name"] in existing:
                continue
            for claim in claims_for(lws, pod):
                cluster.request(
                    "POST", f"/api/v1/namespaces/{namespace}/persistentvolumeclaims", claim
                )
            cluster.call("POST", f"/api/v1/namespaces/{namespace}/pods", pod)
            created += 1
    return created
