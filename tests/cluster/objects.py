"""Nodes, storage and waits for the scheduling test cluster (tests/cluster/plane.py).

The platform facts (node labels, taints, allocatable resources, StorageClasses) come from
chartgen's catalog; this module only turns them into API objects and reads the outcome back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tests.apiserver.cluster import ApiError, KubeCluster

NODE_READY_TIMEOUT = 60.0
# Labels the kubelet itself puts on every node (kubernetes.io/docs/reference/labels-annotations-taints/).
KUBELET_LABELS = {"kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64"}


@dataclass(frozen=True)
class NodeShape:
    """One fake node: what the platform puts on it (labels, taints, resources)."""

    labels: Mapping[str, str]
    taints: Sequence[Mapping[str, str]] = ()
    allocatable: Mapping[str, str] = field(default_factory=dict)
    capacity: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StorageClassFacts:
    name: str
    provisioner: str
    access_modes: tuple[str, ...]  # the modes the class's volumes support
    binding_mode: str = "WaitForFirstConsumer"  # or Immediate
    default: bool = False
    zonal: bool = True  # volumes are pinned to one zone (a disk), not reachable cluster-wide


def node_body(name: str, shape: NodeShape) -> dict[str, Any]:
    labels = {**KUBELET_LABELS, **shape.labels, "kubernetes.io/hostname": name}
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "labels": labels},
        "spec": {"taints": [dict(t) for t in shape.taints]},
        "status": {
            "allocatable": dict(shape.allocatable),
            "capacity": dict(shape.capacity or shape.allocatable),
        },
    }


def create_nodes(cluster: KubeCluster, nodes: Mapping[str, dict[str, Any]]) -> None:
    """Create the nodes (name -> Node object) and wait until KWOK reports each Ready."""
    for body in nodes.values():
        cluster.call("POST", "/api/v1/nodes", body)
    for name in nodes:
        wait_for(f"node {name} Ready", lambda n=name: node_ready(cluster, n), NODE_READY_TIMEOUT)


def node_ready(cluster: KubeCluster, name: str) -> bool:
    """Ready, and the node lifecycle controller has lifted the not-ready taint."""
    node = cluster.call("GET", f"/api/v1/nodes/{name}")
    conditions = (node.get("status") or {}).get("conditions") or []
    taints = {t["key"] for t in node["spec"].get("taints") or []}
    ready = any(c["type"] == "Ready" and c["status"] == "True" for c in conditions)
    return ready and "node.kubernetes.io/not-ready" not in taints


def delete_nodes(cluster: KubeCluster, names: Iterable[str]) -> None:
    for name in names:
        cluster.request("DELETE", f"/api/v1/nodes/{name}")


def apply_storage_classes(cluster: KubeCluster, classes: Sequence[StorageClassFacts]) -> None:
    """Make `classes` the cluster's StorageClasses: create missing ones, replace changed ones
    (StorageClass fields are immutable), and set the default annotation on exactly the
    platform's default class."""
    path = "/apis/storage.k8s.io/v1/storageclasses"
    wanted = {c.name: storage_class_body(c) for c in classes}
    for item in cluster.call("GET", path)["items"]:
        name = item["metadata"]["name"]
        body = wanted.get(name)
        if body is None or _class_differs(item, body):
            cluster.call("DELETE", f"{path}/{name}")
    existing = {i["metadata"]["name"] for i in cluster.call("GET", path)["items"]}
    for name, body in wanted.items():
        if name not in existing:
            cluster.call("POST", path, body)


def _class_differs(stored: Mapping[str, Any], body: Mapping[str, Any]) -> bool:
    keys = ("provisioner", "volumeBindingMode")
    annotations = (stored["metadata"].get("annotations") or {}).get(DEFAULT_CLASS)
    return any(stored.get(k) != body[k] for k in keys) or annotations != body["metadata"][
        "annotations"
    ].get(DEFAULT_CLASS)


DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class"


def storage_class_body(facts: StorageClassFacts) -> dict[str, Any]:
    annotations = {DEFAULT_CLASS: "true"} if facts.default else {}
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {"name": facts.name, "annotations": annotations},
        "provisioner": facts.provisioner,
        "volumeBindingMode": facts.binding_mode,
        "reclaimPolicy": "Delete",
    }


def create_volumes(
    cluster: KubeCluster,
    prefix: str,
    classes: Sequence[StorageClassFacts],
    zones: Sequence[str],
    per_zone: int,
    size: str = "2Ti",
) -> list[str]:
    """Static PersistentVolumes standing in for the classes' provisioners: `per_zone` volumes of
    each class in each zone (zonal classes carry the zone as node affinity, like a disk)."""
    names: list[str] = []
    for facts in classes:
        for modes in mode_sets(facts.access_modes):
            for zone in zones if facts.zonal else ("any",):
                for index in range(per_zone):
                    suffix = "-rwop" if modes == ("ReadWriteOncePod",) else ""
                    name = f"{prefix}-{facts.name}-{zone}{suffix}-{index}"
                    body = pv_body(name, facts, modes, zone, size)
                    cluster.call("POST", "/api/v1/persistentvolumes", body)
                    names.append(name)
    return names


def mode_sets(modes: Sequence[str]) -> list[tuple[str, ...]]:
    """A volume may not combine ReadWriteOncePod with other modes: one set each."""
    others = tuple(m for m in modes if m != "ReadWriteOncePod")
    sets = [others] if others else []
    return sets + ([("ReadWriteOncePod",)] if "ReadWriteOncePod" in modes else [])


def pv_body(
    name: str, facts: StorageClassFacts, modes: Sequence[str], zone: str, size: str
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "capacity": {"storage": size},
        "accessModes": list(modes),
        "storageClassName": facts.name,
        "persistentVolumeReclaimPolicy": "Retain",
        # The volume source is never mounted here (no kubelet): only class, modes, size and
        # zone take part in binding and scheduling.
        "hostPath": {"path": f"/var/lib/fake-volumes/{name}"},
    }
    if facts.zonal:
        term = {"key": "topology.kubernetes.io/zone", "operator": "In", "values": [zone]}
        spec["nodeAffinity"] = {"required": {"nodeSelectorTerms": [{"matchExpressions": [term]}]}}
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": name},
        "spec": spec,
    }


def delete_volumes(cluster: KubeCluster, names: Iterable[str]) -> None:
    for name in names:
        cluster.request("DELETE", f"/api/v1/persistentvolumes/{name}")


def delete_namespace(cluster: KubeCluster, name: str) -> None:
    """Start deleting a namespace (the namespace controller finishes it in the background)."""
    status, body = cluster.request("DELETE", f"/api/v1/namespaces/{name}")
    if status not in (200, 202, 404):
        raise ApiError(status, body)


def wait_for(what: str, check: Callable[[], bool], timeout: float, interval: float = 0.25) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(interval)
    raise TimeoutError(f"{what}: not after {timeout:.0f}s")


def items(cluster: KubeCluster, path: str) -> list[dict[str, Any]]:
    """The objects of a list call, each with its `kind` (list items come without one)."""
    reply = cluster.call("GET", path)
    kind = str(reply.get("kind", "")).removesuffix("List")
    return [{"kind": kind, **item} for item in reply.get("items") or []]
