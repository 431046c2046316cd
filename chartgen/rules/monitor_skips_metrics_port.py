"""A ServiceMonitor, PodMonitor or PodMonitoring that scrapes another port than the one named
`metrics`."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.manifests import ManifestObject
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.monitors import pod_monitors
from chartgen.rules.support.objects import ObjectSet, lookup, mapping, sequence
from chartgen.rules.support.selectors import label_selector_matches, string_map

ID = "monitor-skips-metrics-port"
SEVERITY = Severity.WARNING
SUMMARY = "Monitors must scrape the port the server names `metrics`"
RATIONALE = (
    "Servers that export Prometheus metrics on their own port (Triton 8002, TorchServe 8082, a "
    "team's own server) declare it as a port named `metrics`. A monitor scraping the serving port "
    "instead gets 404s or the wrong document: dashboards stay empty, alerts never fire and "
    "autoscaling on a custom metric has no data."
)
REFERENCES = (
    "https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PodMetricsEndpoint",
)
FIX = "Point the endpoint's `port` at the port named `metrics`."
EXAMPLE = """\
kind: PodMonitor
spec:
  podMetricsEndpoints:
    - port: metrics
      path: /metrics
"""
TAGS = ("kubernetes", "observability", "correctness")
DEFAULTS: dict[str, object] = {}
SCOPE = "set"
METRICS_PORT = "metrics"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for pod_monitor in pod_monitors(objects):
        pods = objects.selected_by(lookup(pod_monitor.obj.data, "/spec/selector"))
        names = {name for w in pods for c in w.containers for name in c.port_names}
        yield from _check(pod_monitor.obj, pod_monitor.endpoints_field, names)
    for monitor in objects.of_kind("ServiceMonitor"):
        selector = lookup(monitor.data, "/spec/selector")
        names = {
            str(mapping(port).get("name"))
            for service in objects.of_kind("Service")
            if label_selector_matches(
                selector, string_map(lookup(service.data, "/metadata/labels"))
            )
            for port in sequence(lookup(service.data, "/spec/ports"))
        }
        yield from _check(monitor, "endpoints", names)


def _check(monitor: ManifestObject, field: str, names: set[str]) -> Iterator[Issue]:
    if METRICS_PORT not in names:
        return
    for index, endpoint in enumerate(sequence(lookup(monitor.data, f"/spec/{field}"))):
        port = mapping(endpoint).get("port")
        if port is not None and str(port) != METRICS_PORT:
            message = f"{monitor.kind} scrapes port {port!r}, but the target declares a {METRICS_PORT!r} port"
            yield Issue(ID, f"/spec/{field}/{index}/port", message, obj=monitor)
