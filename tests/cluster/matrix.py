"""Install one chart on one node-pool variant of the scheduling cluster and see it run.

Layout of every case, the worst case of a regional cluster whose GPU pool lives in one zone:
GPU nodes (from the variant's data) in zone-a, the CPU system pool in zone-b and zone-c, static
volumes of every StorageClass in every zone. A download Job placed without regard to the GPU
pool therefore fixes a zonal volume where no GPU node can attach it (issue 11 finding 5).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.apiserver.cluster import ApiError, KubeCluster
from tests.cluster.lws import act_as_controller
from tests.cluster.objects import (
    NodeShape,
    apply_storage_classes,
    create_nodes,
    create_volumes,
    delete_namespace,
    delete_nodes,
    delete_volumes,
    items,
    node_body,
)
from tests.cluster.outcome import Outcome, settle
from tests.cluster.variants import Variant

GPU_ZONE = "zone-a"
CPU_ZONES = ("zone-b", "zone-c")
ZONES = (GPU_ZONE, *CPU_ZONES)
# A general-purpose node (16 vCPU, 64 GiB: room for a CPU model server and its rolling-update
# surge pod), labelled only with what every kubelet and cloud provider puts on a node: no
# platform-specific GPU facts.
CPU_NODE = NodeShape(
    labels={},
    allocatable={"cpu": "15890m", "memory": "58Gi", "pods": "110", "ephemeral-storage": "95Gi"},
)


def zoned(shape: NodeShape, zone: str) -> NodeShape:
    region = zone.rsplit("-", 1)[0]
    labels = {
        **shape.labels,
        "topology.kubernetes.io/zone": zone,
        "topology.kubernetes.io/region": region,
    }
    return NodeShape(labels, shape.taints, shape.allocatable, shape.capacity)


def wanted_replicas(values: dict[str, Any]) -> int:
    """GPU pods of the release: replicas, times the pods of a group for a LeaderWorkerSet."""
    group = int((values.get("multiNode") or {}).get("size") or 1)
    scaling = values["autoscaling"]
    if scaling.get("enabled"):
        return max(int(scaling.get("minReplicas") or 0), 1) * group
    return max(int(values.get("replicaCount") or 1), 1) * group


def case_name(*parts: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", "-".join(parts).lower()).strip("-")[:52].strip("-")


@contextmanager
def prepared(
    cluster: KubeCluster, name: str, variant: Variant, values: dict[str, Any]
) -> Iterator[str]:
    """A namespace with the variant's nodes, StorageClasses and volumes, and the claims the spec
    says exist; all removed after (the namespace asynchronously, by the namespace controller)."""
    replicas = wanted_replicas(values)
    nodes = {f"{name}-cpu-{z}": node_body(f"{name}-cpu-{z}", zoned(CPU_NODE, z)) for z in CPU_ZONES}
    if variant.gpu_node is not None:
        gpu_names = [f"{name}-gpu-{i}" for i in range(replicas + 1)]
        nodes |= {n: variant.gpu_node.manifest(n, GPU_ZONE) for n in gpu_names}
    volumes: list[str] = []
    cluster.create_namespace(name)
    try:
        create_nodes(cluster, nodes)
        apply_storage_classes(cluster, variant.storage)
        volumes = create_volumes(cluster, name, variant.storage, ZONES, per_zone=replicas + 1)
        volumes += user_claims(cluster, name, values)
        yield name
    finally:
        delete_namespace(cluster, name)
        delete_nodes(cluster, nodes)
        delete_volumes(cluster, volumes)


def user_claims(cluster: KubeCluster, namespace: str, values: dict[str, Any]) -> list[str]:
    """The claims the spec says already exist (a pvc:// model, cache.existingClaim), as an admin
    pre-provisions them: a static volume bound to its claim by name. Returns the volumes."""
    names = [str(values["cache"].get(k) or "") for k in ("modelClaim", "existingClaim")]
    volumes = []
    for claim in filter(None, names):
        volume = f"{namespace}-user-{claim}"
        modes = ["ReadOnlyMany", "ReadWriteMany"]
        pv = {
            "apiVersion": "v1",
            "kind": "PersistentVolume",
            "metadata": {"name": volume},
            "spec": {
                "capacity": {"storage": "1Ti"},
                "accessModes": modes,
                "storageClassName": "",
                "hostPath": {"path": f"/var/lib/fake-volumes/{volume}"},
                "claimRef": {"namespace": namespace, "name": claim},
            },
        }
        cluster.call("POST", "/api/v1/persistentvolumes", pv)
        pvc = {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": claim},
            "spec": {
                "accessModes": modes[:1],
                "storageClassName": "",
                "volumeName": volume,
                "resources": {"requests": {"storage": "1Ti"}},
            },
        }
        cluster.call("POST", f"/api/v1/namespaces/{namespace}/persistentvolumeclaims", pvc)
        volumes.append(volume)
    return volumes


def scale_like_the_autoscaler(cluster: KubeCluster, namespace: str) -> None:
    """What the HPA or KEDA would do first (no metrics here): bring each target to its minimum,
    at least one replica (KEDA activates a scaled-to-zero target on its first event)."""
    hpas = items(cluster, f"/apis/autoscaling/v2/namespaces/{namespace}/horizontalpodautoscalers")
    targets = [(h["spec"]["scaleTargetRef"], h["spec"].get("minReplicas", 1)) for h in hpas]
    status, body = cluster.request(
        "GET", f"/apis/keda.sh/v1alpha1/namespaces/{namespace}/scaledobjects"
    )
    for scaled in body.get("items") or [] if status == 200 else []:
        targets.append((scaled["spec"]["scaleTargetRef"], scaled["spec"].get("minReplicaCount", 0)))
    for ref, minimum in targets:
        plural = {"Deployment": "deployments", "StatefulSet": "statefulsets"}.get(
            ref.get("kind", "Deployment")
        )
        if plural is None:
            continue
        path = f"/apis/apps/v1/namespaces/{namespace}/{plural}/{ref['name']}/scale"
        status, scale = cluster.request("GET", path)
        if status == 200 and scale["spec"].get("replicas", 0) < max(minimum, 1):
            patch = {"spec": {"replicas": max(minimum, 1)}}
            status, reply = cluster.request(
                "PATCH", path, patch, content_type="application/merge-patch+json"
            )
            if status != 200:
                raise ApiError(status, reply)


def install_and_settle(
    cluster: KubeCluster, helm: Path, chart: Path, namespace: str
) -> tuple[Outcome, float]:
    """`helm install` (no --wait: the test reads the outcome itself), then the outcome and the
    seconds it took to settle."""
    done = cluster.install_chart(helm, chart, "rel", namespace)
    if done.returncode != 0:
        outcome = Outcome([f"helm install failed: {done.stderr.strip()}"])
        return outcome, 0.0
    began = time.monotonic()
    act_as_controller(cluster, namespace)
    scale_like_the_autoscaler(cluster, namespace)
    outcome = settle(cluster, namespace)
    return outcome, time.monotonic() - began
