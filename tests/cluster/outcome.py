"""What a release became on the scheduling cluster: every workload pod bound and Running, every
Job complete, every claim Bound, every autoscaler's target present, every Service backed by ready
endpoints. Problems are reported with the scheduler's and controllers' own events."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.apiserver.cluster import KubeCluster
from tests.cluster.lws import PREFIX, leaderworkersets
from tests.cluster.objects import items

SETTLE_TIMEOUT = 90.0
# A case that is stuck stays stuck in a static cluster: stop once nothing changed for this long
# while a scheduler or controller has already said why (FailedScheduling, FailedCreate, ...).
STUCK_AFTER = 10.0
WARNING_REASONS = ("FailedScheduling", "FailedCreate", "ProvisioningFailed", "FailedBinding")


@dataclass
class Outcome:
    problems: list[str] = field(default_factory=list)
    running: dict[str, str] = field(default_factory=dict)  # pod name -> node name

    @property
    def ok(self) -> bool:
        return not self.problems


def observe(cluster: KubeCluster, namespace: str) -> Outcome:
    outcome = Outcome()
    base = f"/apis/apps/v1/namespaces/{namespace}"
    workloads = items(cluster, f"{base}/deployments") + items(cluster, f"{base}/statefulsets")
    pods = items(cluster, f"/api/v1/namespaces/{namespace}/pods")
    for workload in workloads:
        _check_workload(workload, pods, outcome)
    for lws in leaderworkersets(cluster, namespace):
        _check_group_pods(lws, pods, outcome)
    for job in items(cluster, f"/apis/batch/v1/namespaces/{namespace}/jobs"):
        _check_job(job, outcome)
    for claim in items(cluster, f"/api/v1/namespaces/{namespace}/persistentvolumeclaims"):
        if (claim.get("status") or {}).get("phase") != "Bound":
            outcome.problems.append(f"PersistentVolumeClaim {claim['metadata']['name']} not Bound")
    _check_autoscalers(cluster, namespace, workloads, outcome)
    _check_endpoints(cluster, namespace, outcome)
    return outcome


def _owned_by(pod: dict[str, Any], workload: dict[str, Any]) -> bool:
    selector = workload["spec"]["selector"].get("matchLabels") or {}
    labels = pod["metadata"].get("labels") or {}
    return all(labels.get(k) == v for k, v in selector.items())


def _check_workload(workload: dict[str, Any], pods: list[dict[str, Any]], out: Outcome) -> None:
    kind, name = workload["kind"], workload["metadata"]["name"]
    want = workload["spec"].get("replicas", 1)
    mine = [
        p for p in pods if _owned_by(p, workload) and not p["metadata"].get("deletionTimestamp")
    ]
    running = [p for p in mine if _pod_running(p)]
    for pod in running:
        out.running[pod["metadata"]["name"]] = pod["spec"]["nodeName"]
    if len(running) < want:
        out.problems.append(f"{kind} {name}: {len(running)}/{want} pods bound and Running")
    for pod in mine:
        if not _pod_running(pod):
            node = pod["spec"].get("nodeName") or "no node"
            phase = (pod.get("status") or {}).get("phase")
            out.problems.append(f"  pod {pod['metadata']['name']}: {phase} on {node}")


def _check_group_pods(lws: dict[str, Any], pods: list[dict[str, Any]], out: Outcome) -> None:
    """Every pod of every group (leader and workers, made by tests.cluster.lws) Running."""
    name = lws["metadata"]["name"]
    template = lws["spec"]["leaderWorkerTemplate"]
    want = int(lws["spec"].get("replicas", 1)) * int(template.get("size", 1))
    mine = [p for p in pods if (p["metadata"].get("labels") or {}).get(f"{PREFIX}/name") == name]
    running = [p for p in mine if _pod_running(p)]
    for pod in running:
        out.running[pod["metadata"]["name"]] = pod["spec"]["nodeName"]
    if len(running) < want:
        out.problems.append(f"LeaderWorkerSet {name}: {len(running)}/{want} pods bound and Running")
    for pod in mine:
        if not _pod_running(pod):
            node = pod["spec"].get("nodeName") or "no node"
            phase = (pod.get("status") or {}).get("phase")
            out.problems.append(f"  pod {pod['metadata']['name']}: {phase} on {node}")


def _pod_running(pod: dict[str, Any]) -> bool:
    status = pod.get("status") or {}
    ready = any(
        c["type"] == "Ready" and c["status"] == "True" for c in status.get("conditions") or []
    )
    return bool(pod["spec"].get("nodeName")) and status.get("phase") == "Running" and ready


def _check_job(job: dict[str, Any], out: Outcome) -> None:
    conditions = (job.get("status") or {}).get("conditions") or []
    if not any(c["type"] == "Complete" and c["status"] == "True" for c in conditions):
        out.problems.append(f"Job {job['metadata']['name']} not Complete")


def _check_autoscalers(
    cluster: KubeCluster, namespace: str, workloads: list[dict[str, Any]], out: Outcome
) -> None:
    present = {(w["kind"], w["metadata"]["name"]) for w in workloads}
    hpas = items(cluster, f"/apis/autoscaling/v2/namespaces/{namespace}/horizontalpodautoscalers")
    targets = [(h["kind"], h["metadata"]["name"], h["spec"]["scaleTargetRef"]) for h in hpas]
    status, body = cluster.request(
        "GET", f"/apis/keda.sh/v1alpha1/namespaces/{namespace}/scaledobjects"
    )
    for scaled in body.get("items") or [] if status == 200 else []:
        ref = dict(scaled["spec"]["scaleTargetRef"])
        ref.setdefault("kind", "Deployment")
        targets.append((scaled["kind"], scaled["metadata"]["name"], ref))
    for kind, name, ref in targets:
        if (ref["kind"], ref["name"]) not in present:
            out.problems.append(f"{kind} {name}: target {ref['kind']} {ref['name']} absent")


def _check_endpoints(cluster: KubeCluster, namespace: str, out: Outcome) -> None:
    slices = items(cluster, f"/apis/discovery.k8s.io/v1/namespaces/{namespace}/endpointslices")
    for service in items(cluster, f"/api/v1/namespaces/{namespace}/services"):
        name = service["metadata"]["name"]
        if not service["spec"].get("selector"):
            continue
        mine = [
            s for s in slices if s["metadata"]["labels"].get("kubernetes.io/service-name") == name
        ]
        ready = [
            e
            for s in mine
            for e in s.get("endpoints") or []
            if (e.get("conditions") or {}).get("ready")
        ]
        ports = {p.get("name") for s in mine for p in s.get("ports") or []}
        wanted = {p.get("name") for p in service["spec"].get("ports") or []}
        if not ready or not wanted <= ports:
            out.problems.append(
                f"Service {name}: {len(ready)} ready endpoints, ports {sorted(map(str, ports))}"
                f" of {sorted(map(str, wanted))}"
            )


def events(cluster: KubeCluster, namespace: str) -> list[str]:
    """Warning events of the namespace, one line each (scheduler, controllers)."""
    lines = []
    for event in items(cluster, f"/api/v1/namespaces/{namespace}/events"):
        if event.get("type") != "Warning" and event.get("reason") not in WARNING_REASONS:
            continue
        obj = event["involvedObject"]
        lines.append(f"  {obj['kind']} {obj['name']}: {event['reason']}: {event['message']}")
    return sorted(set(lines))


def settle(
    cluster: KubeCluster,
    namespace: str,
    timeout: float = SETTLE_TIMEOUT,
    clock: Callable[[], float] = time.monotonic,
) -> Outcome:
    """Poll until the release runs, or is stuck (no change for STUCK_AFTER seconds with a
    warning event explaining it), or the timeout passes; the last observation."""
    deadline = clock() + timeout
    last: list[str] = []
    since = clock()
    while True:
        outcome = observe(cluster, namespace)
        if outcome.ok:
            return outcome
        if outcome.problems != last:
            last, since = outcome.problems, clock()
        stuck = clock() - since > STUCK_AFTER and events(cluster, namespace)
        if stuck or clock() > deadline:
            return outcome
        time.sleep(0.5)


def explain(cluster: KubeCluster, namespace: str, outcome: Outcome) -> str:
    return "\n".join([*outcome.problems, "events:", *events(cluster, namespace)])
