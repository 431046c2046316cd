"""A ServiceMonitor that selects two Services of the same pods (e.g. the Service and its headless
twin), or two pod monitors of one collector on the same pods: every series is scraped, stored and
alerted on twice."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.manifests import ManifestObject
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.monitors import pod_monitors
from chartgen.rules.support.objects import ObjectSet, lookup
from chartgen.rules.support.selectors import label_selector_matches, map_matches, string_map

ID = "monitor-scrapes-twice"
SEVERITY = Severity.WARNING
SUMMARY = "A ServiceMonitor must not select two Services of the same pods"
RATIONALE = (
    "A StatefulSet usually has a headless Service beside its ClusterIP Service, with the same "
    "labels. A ServiceMonitor selecting both makes Prometheus scrape every pod once per Service: "
    "each series exists twice (with a different `service` label), sums and rates double, and "
    "alerts on request counts fire at half the real threshold. Two PodMonitors (or two GKE "
    "PodMonitorings) selecting the same pods do the same; a PodMonitoring beside a "
    "ServiceMonitor is not counted, as managed Prometheus and the Prometheus Operator store apart."
)
REFERENCES = (
    "https://prometheus-operator.dev/docs/developer/getting-started/#using-servicemonitors",
)
FIX = "Give one of the Services a distinguishing label and select only the other, or use a PodMonitor."
EXAMPLE = """\
kind: ServiceMonitor
spec:
  selector:
    matchLabels: {app: llm}
    matchExpressions:
      - {key: chartgen.dev/headless, operator: DoesNotExist}
"""
TAGS = ("kubernetes", "observability", "correctness")
DEFAULTS: dict[str, object] = {}
SCOPE = "set"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for monitor in objects.of_kind("ServiceMonitor"):
        selector = lookup(monitor.data, "/spec/selector")
        services = [
            s
            for s in objects.of_kind("Service")
            if label_selector_matches(selector, string_map(lookup(s.data, "/metadata/labels")))
        ]
        for workload in objects.serving_workloads:
            fronting = [s.name for s in services if _selects(s, workload.labels)]
            if len(fronting) > 1:
                message = (
                    f"ServiceMonitor {monitor.name!r} scrapes {workload.kind} "
                    f"{workload.obj.name!r} once per Service ({', '.join(fronting)})"
                )
                yield Issue(ID, "/spec/selector", message, obj=monitor)
                break
    yield from _pod_monitors_twice(objects)


def _pod_monitors_twice(objects: ObjectSet) -> Iterator[Issue]:
    """A later pod monitor of the same kind selecting a workload an earlier one already scrapes."""
    seen: dict[tuple[str, str], str] = {}  # (monitor kind, workload) -> first monitor's name
    for pod_monitor in pod_monitors(objects):
        monitor = pod_monitor.obj
        for workload in objects.selected_by(lookup(monitor.data, "/spec/selector")):
            key = (monitor.kind, f"{workload.kind}/{workload.obj.name}")
            if key in seen:
                message = (
                    f"{monitor.kind} {monitor.name!r} scrapes {workload.kind} "
                    f"{workload.obj.name!r}, which {monitor.kind} {seen[key]!r} already scrapes"
                )
                yield Issue(ID, "/spec/selector", message, obj=monitor)
                break
            seen[key] = monitor.name


def _selects(service: ManifestObject, labels: dict[str, str]) -> bool:
    return map_matches(string_map(lookup(service.data, "/spec/selector")), labels)
