"""kube-linter's default `no-anti-affinity` check on every generated chart's default render.

kube-linter cannot be built here (the Go module proxy refuses golang.stackrox.io/kube-linter),
so this applies the check's rule from its source, stackrox/kube-linter@v0.8.3
pkg/templates/antiaffinity/template.go with pkg/builtinchecks/yamls/no-anti-affinity.yaml
(minReplicas 2, topologyKey kubernetes.io/hostname). docs/ci.md covers the other default checks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.chart.helpers import GENERATED, helm_template, objects

DEPLOYMENT_LIKE = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"}


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
