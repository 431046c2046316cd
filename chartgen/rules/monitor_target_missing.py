"""ServiceMonitor, PodMonitor or PodMonitoring that selects nothing, or scrapes a port that does not
exist."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.manifests import ManifestObject
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.monitors import pod_monitors
from chartgen.rules.support.objects import ObjectSet, lookup, mapping, sequence
from chartgen.rules.support.selectors import label_selector_matches, string_map

ID = "monitor-target-missing"
SEVERITY = Severity.ERROR
SUMMARY = "ServiceMonitors/PodMonitors/PodMonitorings must select a Service/pods of the chart and scrape a port they have"
RATIONALE = (
    "The Prometheus Operator matches ServiceMonitor selectors against Service labels (not pod "
    "labels) and endpoint `port` against Service port names; PodMonitors match pod labels and "
    "container port names; GKE's PodMonitoring (managed Prometheus) matches pod labels and a "
    "container port name or number. A mismatch silently scrapes nothing, so autoscaling on queue depth and "
    "the latency alerts see no data (llm-d/llm-d-async#359)."
)
REFERENCES = (
    "llm-d/llm-d-async#359",
    "https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.ServiceMonitor",
    "https://cloud.google.com/stackdriver/docs/managed-prometheus/setup-managed",
)
FIX = "Select the Service's own labels and use a port name the Service (PodMonitor: the container) declares."
EXAMPLE = """\
kind: ServiceMonitor
spec:
  selector:
    matchLabels: {app.kubernetes.io/name: llm}
  endpoints:
    - port: http
      path: /metrics
"""
TAGS = ("kubernetes", "observability", "correctness")
DEFAULTS: dict[str, object] = {}
SCOPE = "set"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for monitor in objects.of_kind("ServiceMonitor"):
        services = [
            s
            for s in objects.of_kind("Service")
            if label_selector_matches(lookup(monitor.data, "/spec/selector"), _labels(s))
        ]
        ports = {
            str(mapping(p).get("name"))
            for s in services
            for p in sequence(lookup(s.data, "/spec/ports"))
        }
        yield from _violations(monitor, "endpoints", "Service", bool(services), ports)
    for pod_monitor in pod_monitors(objects):
        monitor = pod_monitor.obj
        pods = objects.selected_by(lookup(monitor.data, "/spec/selector"))
        ports = {name for w in pods for c in w.containers for name in c.port_names}
        if monitor.kind == "PodMonitoring":  # its `port` may be a number
            ports |= {str(n) for w in pods for c in w.containers for n in c.port_numbers}
        yield from _violations(monitor, pod_monitor.endpoints_field, "pod", bool(pods), ports)


def _labels(obj: ManifestObject) -> dict[str, str]:
    return string_map(lookup(obj.data, "/metadata/labels"))


def _violations(
    monitor: ManifestObject, field: str, target: str, found: bool, ports: set[str]
) -> Iterator[Issue]:
    if not found:
        yield Issue(
            ID,
            "/spec/selector",
            f"{monitor.kind} selector matches no {target} of the chart",
            obj=monitor,
        )
        return
    for index, endpoint in enumerate(sequence(lookup(monitor.data, f"/spec/{field}"))):
        port = mapping(endpoint).get("port")
        if port is not None and str(port) not in ports:
            yield Issue(
                ID,
                f"/spec/{field}/{index}/port",
                f"{monitor.kind} scrapes port {port!r}, which no selected {target} names",
                obj=monitor,
            )
