"""A ServiceMonitor that selects two Services of the same pods (e.g. the Service and its headless
twin): every series is scraped, stored and alerted on twice."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.manifests import ManifestObject
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, lookup
from chartgen.rules.support.selectors import label_selector_matches, map_matches, string_map

ID = "monitor-scrapes-twice"
SEVERITY = Severity.WARNING
SUMMARY = "A ServiceMonitor must not select two Services of the same pods"
RATIONALE = (
    "A StatefulSet usually has a headless Service beside its ClusterIP Service, with the same "
    "labels. A ServiceMonitor selecting both makes Prometheus scrape every pod once per Service: "
    "each series exists twice (with a different `service` label), sums and rates double, and "
    "alerts on request counts fire at half the real threshold."
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


def _selects(service: ManifestObject, labels: dict[str, str]) -> bool:
    return map_matches(string_map(lookup(service.data, "/spec/selector")), labels)
