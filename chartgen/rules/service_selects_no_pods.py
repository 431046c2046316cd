"""Service whose selector matches no pod template of the chart."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, lookup
from chartgen.rules.support.selectors import string_map

ID = "service-selects-no-pods"
SEVERITY = Severity.ERROR
SUMMARY = "A Service's selector must match the pod labels of a workload in the same chart"
RATIONALE = (
    "A selector that matches no pods leaves the Service without endpoints: clients get connection "
    "refused and nothing in the rendered manifests shows why. It usually follows a renamed label "
    "helper or a values override of one side. Services without a selector (manual Endpoints, "
    "ExternalName) are skipped. kube-linter `dangling-service`, kube-score `service-targets-pod`."
)
REFERENCES = ("https://kubernetes.io/docs/concepts/services-networking/service/",)
FIX = "Make `spec.selector` a subset of the pod template labels of the workload it should route to."
EXAMPLE = """\
kind: Service
spec:
  selector:
    app.kubernetes.io/name: llm
    app.kubernetes.io/instance: prod
"""
TAGS = ("kubernetes", "networking", "correctness")
DEFAULTS: dict[str, object] = {}
SCOPE = "set"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    if not objects.workloads:
        return
    for service in objects.of_kind("Service"):
        selector = string_map(lookup(service.data, "/spec/selector"))
        if selector and not objects.selected_by_map(selector):
            shown = ",".join(f"{k}={v}" for k, v in sorted(selector.items()))
            yield Issue(
                ID,
                "/spec/selector",
                f"Service selector {shown} matches no pod template",
                obj=service,
            )
