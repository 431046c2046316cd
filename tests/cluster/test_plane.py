"""The scheduling cluster itself: a GPU Deployment is scheduled by the real kube-scheduler onto
a fake GPU node only when it tolerates the node's taint and fits its allocatable GPUs, a Job
completes, and a WaitForFirstConsumer claim binds to a static volume in the pod's zone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.apiserver.cluster import KubeCluster
from tests.cluster.objects import (
    NodeShape,
    StorageClassFacts,
    apply_storage_classes,
    create_nodes,
    create_volumes,
    delete_namespace,
    delete_nodes,
    delete_volumes,
    node_body,
)
from tests.cluster.outcome import explain, settle

pytestmark = pytest.mark.cluster

# One GKE g2-standard-8 node with one L4, as GKE labels and taints it
# (https://cloud.google.com/kubernetes-engine/docs/how-to/gpus). Only this smoke test uses a
# hand-written node: the chart matrix builds nodes from chartgen's catalog.
GKE_L4 = NodeShape(
    labels={
        "cloud.google.com/gke-accelerator": "nvidia-l4",
        "node.kubernetes.io/instance-type": "g2-standard-8",
        "topology.kubernetes.io/zone": "zone-a",
    },
    taints=({"key": "nvidia.com/gpu", "value": "present", "effect": "NoSchedule"},),
    allocatable={"cpu": "7910m", "memory": "27Gi", "nvidia.com/gpu": "1", "pods": "110"},
)
DISK = StorageClassFacts("plane-rwo", "pd.csi.storage.gke.io", ("ReadWriteOnce",), default=False)


@pytest.fixture
def namespace(scheduling_cluster: KubeCluster, request: pytest.FixtureRequest) -> Iterator[str]:
    name = re.sub(r"[^a-z0-9-]+", "-", request.node.name.lower()).strip("-")[:50].strip("-")
    scheduling_cluster.create_namespace(name)
    yield name
    delete_namespace(scheduling_cluster, name)


def deployment(name: str, replicas: int, tolerate: bool, claim: str = "") -> dict[str, Any]:
    pod: dict[str, Any] = {
        "nodeSelector": {"cloud.google.com/gke-accelerator": "nvidia-l4"},
        "containers": [
            {
                "name": "server",
                "image": "vllm/vllm-openai:v0.25.0",
                "resources": {"limits": {"nvidia.com/gpu": "1"}},
            }
        ],
    }
    if tolerate:
        pod["tolerations"] = [
            {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}
        ]
    if claim:
        pod["volumes"] = [{"name": "cache", "persistentVolumeClaim": {"claimName": claim}}]
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": pod},
        },
    }


def test_gpu_pods_run_on_a_fake_gke_l4_node_and_a_job_completes(
    scheduling_cluster: KubeCluster, namespace: str
) -> None:
    cluster = scheduling_cluster
    nodes = {n: node_body(n, GKE_L4) for n in (f"{namespace[:40]}-l4-{i}" for i in range(2))}
    create_nodes(cluster, nodes)
    apply_storage_classes(cluster, [DISK])
    volumes = create_volumes(cluster, namespace[:30], [DISK], ["zone-a"], per_zone=1)
    try:
        claim = {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": "cache"},
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "storageClassName": DISK.name,
                "resources": {"requests": {"storage": "40Gi"}},
            },
        }
        cluster.call("POST", f"/api/v1/namespaces/{namespace}/persistentvolumeclaims", claim)
        base = f"/apis/apps/v1/namespaces/{namespace}/deployments"
        cluster.call("POST", base, deployment("llm", 2, tolerate=True, claim="cache"))
        job = {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"name": "download"},
            "spec": {
                "template": {
                    "spec": {
                        "restartPolicy": "OnFailure",
                        "tolerations": [{"key": "nvidia.com/gpu", "operator": "Exists"}],
                        "containers": [{"name": "d", "image": "busybox:1.36"}],
                    }
                }
            },
        }
        cluster.call("POST", f"/apis/batch/v1/namespaces/{namespace}/jobs", job)
        outcome = settle(cluster, namespace)
        assert outcome.ok, explain(cluster, namespace, outcome)
        assert sorted(set(outcome.running.values())) == sorted(nodes)  # one L4 each, 2 nodes
    finally:
        delete_nodes(cluster, nodes)
        delete_volumes(cluster, volumes)


def test_untolerated_taint_and_missing_gpus_leave_pods_pending_with_the_reason(
    scheduling_cluster: KubeCluster, namespace: str
) -> None:
    cluster = scheduling_cluster
    nodes = {f"{namespace[:40]}-l4": node_body(f"{namespace[:40]}-l4", GKE_L4)}
    create_nodes(cluster, nodes)
    try:
        base = f"/apis/apps/v1/namespaces/{namespace}/deployments"
        cluster.call("POST", base, deployment("no-toleration", 1, tolerate=False))
        cluster.call("POST", base, deployment("too-many", 3, tolerate=True))
        outcome = settle(cluster, namespace, timeout=40)
        text = explain(cluster, namespace, outcome)
        assert "Deployment no-toleration: 0/1 pods bound and Running" in text
        assert "1 node(s) had untolerated taint(s)" in text
        assert "Deployment too-many: 1/3 pods bound and Running" in text
        assert "Insufficient nvidia.com/gpu" in text
    finally:
        delete_nodes(cluster, nodes)
