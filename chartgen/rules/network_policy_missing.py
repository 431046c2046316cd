"""Served pods that no NetworkPolicy of the chart selects."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, lookup
from chartgen.rules.support.selectors import label_selector_matches

ID = "network-policy-missing"
SEVERITY = Severity.WARNING
SUMMARY = "Pods behind a Service should be selected by a NetworkPolicy"
RATIONALE = (
    "Model servers often run without authentication (the OpenAI-compatible API of vLLM, TGI and "
    "SGLang is open by default), so anything in the cluster can use the GPUs or read model output. "
    "A NetworkPolicy limits ingress to the gateway, clients and Prometheus. Polaris "
    "`missingNetworkPolicy`, kube-score `pod-networkpolicy`."
)
REFERENCES = ("https://kubernetes.io/docs/concepts/services-networking/network-policies/",)
FIX = "Add a NetworkPolicy that selects the pods and allows ingress only from the namespaces that need it."
EXAMPLE = """\
kind: NetworkPolicy
spec:
  podSelector:
    matchLabels: {app.kubernetes.io/name: llm}
  policyTypes: [Ingress]
  ingress:
    - from:
        - namespaceSelector:
            matchLabels: {kubernetes.io/metadata.name: gateway}
"""
TAGS = ("kubernetes", "security", "networking")
DEFAULTS: dict[str, object] = {}
SCOPE = "set"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    selectors = [lookup(p.data, "/spec/podSelector") for p in objects.of_kind("NetworkPolicy")]
    for workload in objects.serving_workloads:
        if not objects.services_for(workload):
            continue
        if not any(label_selector_matches(s, workload.labels) for s in selectors):
            message = f"{workload.kind} serves a Service but no NetworkPolicy of the chart selects its pods"
            yield Issue(ID, workload.template_pointer, message, obj=workload.obj)
