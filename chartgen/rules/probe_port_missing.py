"""Probe on a port the container does not declare."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import Container, ObjectSet
from chartgen.rules.support.probes import port
from chartgen.rules.support.quantities import integer

ID = "probe-port-missing"
SEVERITY = Severity.ERROR
SUMMARY = "Probes by port name must name a port the container declares"
RATIONALE = (
    "A probe on a named port that the container does not declare cannot be resolved: the kubelet "
    "fails the probe and the pod never becomes ready (or is restarted). A port number needs no "
    "declaration: `containerPort` is informational ('Not specifying a port here DOES NOT prevent "
    "that port from being exposed', core/v1 Container.ports) and the kubelet probes the pod IP at "
    "that number; controller-runtime managers serve their health probes on 8081 this way, so "
    "numbers are not checked. kube-linter `liveness-port`/`readiness-port`/`startup-port`; named "
    "ports: stackrox/kube-linter#455."
)
REFERENCES = (
    "stackrox/kube-linter#455",
    "https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#ports",
    "https://book.kubebuilder.io/reference/metrics",
)
FIX = "Declare the named port in the container's `ports`, or probe it by number."
EXAMPLE = """\
ports:
  - name: http
    containerPort: 8000
readinessProbe:
  httpGet: {path: /health, port: http}
"""
TAGS = ("kubernetes", "probes", "correctness")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"
PROBES = ("startup", "readiness", "liveness")


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload, container in objects.containers():
        for kind in PROBES:
            probe = container.probe(kind)
            found = port(probe) if probe else None
            if found and not _declared(container, found[1]):
                pointer = f"{container.pointer}/{kind}Probe/{found[0]}/port"
                message = f"container {container.name!r} {kind}Probe uses port {found[1]!r}, which it does not declare"
                yield Issue(ID, pointer, message, obj=workload.obj)


def _declared(container: Container, value: object) -> bool:
    if integer(value) is not None:
        return True  # a number is probed as is, declared or not
    return str(value) in container.port_names
