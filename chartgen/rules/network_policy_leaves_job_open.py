"""A chart that fences its model server with NetworkPolicies but leaves its Jobs uncovered."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, lookup
from chartgen.rules.support.selectors import label_selector_matches

ID = "network-policy-leaves-job-open"
SEVERITY = Severity.WARNING
SUMMARY = "When a chart restricts its pods with NetworkPolicies, its Jobs need one too"
RATIONALE = (
    "A pre-download Job holds the hub token and reaches the internet. When the chart's "
    "NetworkPolicies select only the serving pods, the Job's pod is covered by no policy at all: "
    "it accepts connections from anywhere and may reach anything, while the release looks "
    "locked down. Give it a policy of its own: no ingress, egress to DNS and HTTPS only."
)
REFERENCES = (
    "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies",
)
FIX = "Add a NetworkPolicy selecting the Job's pods: no ingress, egress to DNS and port 443."
EXAMPLE = """\
kind: NetworkPolicy
spec:
  podSelector:
    matchLabels: {app.kubernetes.io/name: llm-download}
  policyTypes: [Ingress, Egress]
  egress:
    - ports: [{port: 53, protocol: UDP}, {port: 443, protocol: TCP}]
"""
TAGS = ("kubernetes", "security", "networking", "model-download")
DEFAULTS: dict[str, object] = {}
SCOPE = "set"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    selectors = [lookup(p.data, "/spec/podSelector") for p in objects.of_kind("NetworkPolicy")]
    if not selectors:
        return
    for workload in objects.of_kind_workloads("Job", "CronJob"):
        if not any(label_selector_matches(s, workload.labels) for s in selectors):
            message = (
                f"{workload.kind} {workload.obj.name!r} runs beside the chart's NetworkPolicies "
                "but none selects its pods"
            )
            yield Issue(ID, workload.template_pointer, message, obj=workload.obj)
