"""kube-linter's default checks on every generated chart (default values, and with the
download Job on), applied from their source because kube-linter cannot be built here (the Go
module proxy refuses golang.stackrox.io/kube-linter): stackrox/kube-linter@v0.8.3
internal/defaultchecks/default_checks.go, pkg/builtinchecks/yamls/*.yaml and pkg/templates/*.
docs/ci.md lists all 31 default checks and where each is covered.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.chart.helpers import GENERATED, helm_template, objects

DEPLOYMENT_LIKE = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"}
WITH_PODS = {*DEPLOYMENT_LIKE, "Job", "CronJob", "Pod"}
SECRET_NAME = re.compile(r"(?i).*secret.*")
LATEST = [re.compile(r".*:(latest)$"), re.compile(r"^[^:]*$"), re.compile(r"(.*/[^:]+)$")]
SERVICE_PORT_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$")


def no_anti_affinity(obj: dict[str, Any], namespace: str) -> str | None:
    replicas = obj["spec"].get("replicas")
    if replicas is None or replicas < 2:
        return None
    template = obj["spec"]["template"]
    anti = (template["spec"].get("affinity") or {}).get("podAntiAffinity") or {}
    terms = [
        t["podAffinityTerm"]
        for t in anti.get("preferredDuringSchedulingIgnoredDuringExecution", [])
    ]
    terms += anti.get("requiredDuringSchedulingIgnoredDuringExecution", [])
    if not terms:
        return f"object has {replicas} replicas but does not specify inter pod anti-affinity"
    labels = template["metadata"].get("labels") or {}
    for term in terms:
        namespaces = term.get("namespaces") or [namespace]
        selector = (term.get("labelSelector") or {}).get("matchLabels") or {}
        matches = selector and all(labels.get(k) == v for k, v in selector.items())
        if (
            namespace in namespaces
            and matches
            and term.get("topologyKey") == "kubernetes.io/hostname"
        ):
            return None
    return "no anti-affinity term selects the pods on kubernetes.io/hostname"


@pytest.mark.parametrize(
    "chart", sorted(p.parent for p in GENERATED.glob("*/Chart.yaml")), ids=lambda p: p.name
)
def test_no_anti_affinity_finding(helm3: Path, chart: Path) -> None:
    done = helm_template(helm3, chart)
    assert done.returncode == 0, done.stderr
    findings = [
        f"{obj['kind']}/{obj['metadata']['name']}: {message}"
        for obj in objects(done.stdout)
        if obj.get("kind") in DEPLOYMENT_LIKE and (message := no_anti_affinity(obj, "ml"))
    ]
    assert not findings, findings


def test_a_user_anti_affinity_replaces_the_default(helm3: Path) -> None:
    done = helm_template(helm3, GENERATED / "gemma-spot", "--set", "affinity.podAntiAffinity.x=1")
    assert done.returncode == 0, done.stderr
    workload = next(o for o in objects(done.stdout) if o.get("kind") == "StatefulSet")
    assert workload["spec"]["template"]["spec"]["affinity"]["podAntiAffinity"] == {"x": 1}


def _pod_spec(obj: dict[str, Any]) -> dict[str, Any] | None:
    if obj.get("kind") == "Pod":
        return dict(obj["spec"])
    if obj.get("kind") in WITH_PODS:
        return dict(obj["spec"]["template"]["spec"])
    return None


def _lws_templates(obj: dict[str, Any]) -> list[dict[str, Any]]:
    """A LeaderWorkerSet's leader and worker pod templates. kube-linter itself reads no CRD pod
    template (it would call the leader Service of such a chart dangling); the emulation holds
    them to the same container checks instead of skipping them."""
    if obj.get("kind") != "LeaderWorkerSet":
        return []
    group = obj["spec"]["leaderWorkerTemplate"]
    return [group["leaderTemplate"], group["workerTemplate"]]


def container_findings(spec: dict[str, Any]) -> list[str]:
    """The default checks on containers: security context, resources, env, image, probes."""
    pod_context = spec.get("securityContext") or {}
    found = [f"pod: {f}" for f in ("hostIPC", "hostNetwork", "hostPID") if spec.get(f)]
    found += ["pod: serviceAccount (deprecated field)"] if spec.get("serviceAccount") else []
    found += (
        ["pod: hostPath volume"] if any("hostPath" in v for v in spec.get("volumes", [])) else []
    )
    found += ["pod: sysctls"] if pod_context.get("sysctls") else []
    for c in [*spec.get("initContainers", []), *spec["containers"]]:
        context = c.get("securityContext") or {}
        dropped = (context.get("capabilities") or {}).get("drop", [])
        resources = c.get("resources") or {}
        names = [e["name"] for e in c.get("env", [])]
        user = context.get("runAsUser", pod_context.get("runAsUser"))
        non_root = context.get("runAsNonRoot", pod_context.get("runAsNonRoot"))
        ports = {p.get("name") for p in c.get("ports", [])} | {
            p["containerPort"] for p in c.get("ports", [])
        }
        probes = [c[p] for p in ("livenessProbe", "readinessProbe", "startupProbe") if p in c]
        checks = {
            "drop-net-raw-capability": not {"NET_RAW", "ALL"} & set(dropped),
            "no-read-only-root-fs": context.get("readOnlyRootFilesystem") is not True,
            "privilege-escalation-container": context.get("allowPrivilegeEscalation") is not False,
            "privileged-container": context.get("privileged") is True,
            "run-as-non-root": not (non_root is True or (user or 0) > 0),
            "unset-cpu-requirements": not (resources.get("requests") or {}).get("cpu"),
            "unset-memory-requirements": not (resources.get("limits") or {}).get("memory"),
            "duplicate-env-var": len(names) != len(set(names)),
            "env-var-secret": any(
                SECRET_NAME.match(e["name"]) and e.get("value") for e in c.get("env", [])
            ),
            "latest-tag": any(p.match(c["image"]) for p in LATEST),
            "ssh-port": 22 in ports,
            "probe-port": any(
                (p.get("httpGet") or p.get("tcpSocket") or p.get("grpc") or {}).get("port", 0)
                not in ports | {0}
                for p in probes
            ),
        }
        found += [f"{c['name']}: {check}" for check, failed in checks.items() if failed]
    return found


def object_findings(objs: list[dict[str, Any]]) -> list[str]:
    """The default checks across objects: selectors, services, accounts, PDBs, Jobs, APIs."""
    found: list[str] = []
    pods = [o for o in objs if _pod_spec(o) is not None]
    pod_labels = [
        (o["metadata"] if o["kind"] == "Pod" else o["spec"]["template"]["metadata"]).get("labels")
        or {}
        for o in pods
    ]
    templates = [t for o in objs for t in _lws_templates(o)]
    pod_labels += [t["metadata"].get("labels") or {} for t in templates]
    accounts = {o["metadata"]["name"] for o in objs if o["kind"] == "ServiceAccount"}
    for o in objs:
        where = f"{o['kind']}/{o['metadata']['name']}"
        spec = o.get("spec") or {}
        if o["apiVersion"].startswith("extensions/v1beta"):
            found.append(f"{where}: no-extensions-v1beta")
        if o["kind"] in DEPLOYMENT_LIKE:
            labels = spec["template"]["metadata"].get("labels") or {}
            wanted = spec["selector"].get("matchLabels") or {}
            if any(labels.get(k) != v for k, v in wanted.items()):
                found.append(f"{where}: mismatching-selector")
        if o["kind"] == "Service" and spec.get("selector"):
            if not any(
                all(lab.get(k) == v for k, v in spec["selector"].items()) for lab in pod_labels
            ):
                found.append(f"{where}: dangling-service")
            for port in spec.get("ports", []):
                target = port.get("targetPort", port["port"])
                if isinstance(target, str) and not SERVICE_PORT_NAME.match(target):
                    found.append(f"{where}: invalid-target-ports")
        if o["kind"] == "PodDisruptionBudget":
            if spec.get("maxUnavailable") in (0, "0", "0%") or spec.get("minAvailable") == "100%":
                found.append(f"{where}: pdb-max-unavailable/pdb-min-available")
            if "unhealthyPodEvictionPolicy" not in spec:
                found.append(f"{where}: pdb-unhealthy-pod-eviction-policy")
        if o["kind"] == "Job" and "ttlSecondsAfterFinished" not in spec:
            found.append(f"{where}: job-ttl-seconds-after-finished")
        pod = _pod_spec(o)
        if pod is not None:
            account = pod.get("serviceAccountName", "")
            if account and account != "default" and account not in accounts:
                found.append(f"{where}: non-existent-service-account")
            found += [f"{where} {f}" for f in container_findings(pod)]
        for template in _lws_templates(o):
            found += [f"{where} {f}" for f in container_findings(template["spec"])]
    return found


@pytest.mark.parametrize(
    "chart", sorted(p.parent for p in GENERATED.glob("*/Chart.yaml")), ids=lambda p: p.name
)
def test_no_default_check_finding(helm3: Path, chart: Path) -> None:
    for extra in ([], ["--set", "download.enabled=true"]):
        done = helm_template(helm3, chart, *extra)
        assert done.returncode == 0, done.stderr
        findings = object_findings(objects(done.stdout))
        assert not findings, (extra, findings)


def test_the_checks_find_what_they_look_for() -> None:
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "labels": {"a": "b"}},
        "spec": {
            "serviceAccountName": "missing",
            "containers": [
                {
                    "name": "c",
                    "image": "nginx",
                    "env": [
                        {"name": "DB_SECRET", "value": "x"},
                        {"name": "DB_SECRET", "value": "y"},
                    ],
                    "ports": [{"containerPort": 22}],
                    "readinessProbe": {"httpGet": {"port": "http"}},
                }
            ],
        },
    }
    found = " ".join(object_findings([pod]))
    for check in (
        "drop-net-raw-capability", "no-read-only-root-fs", "privilege-escalation-container",
        "run-as-non-root", "unset-cpu-requirements", "unset-memory-requirements",
        "duplicate-env-var", "env-var-secret", "latest-tag", "ssh-port", "probe-port",
        "non-existent-service-account",
    ):  # fmt: skip
        assert check in found, check
