"""A model server published outside the cluster by a LoadBalancer or NodePort Service."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen import chart_facts
from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, lookup, mapping
from chartgen.rules.support.runtimes import is_model_server
from chartgen.rules.support.selectors import string_map

ID = "inference-service-exposed"
SEVERITY = Severity.WARNING
SUMMARY = "Inference Services of type LoadBalancer or NodePort need an explicit opt-in"
RATIONALE = (
    "Model servers ship without authentication (vLLM, SGLang, TGI and Triton accept any request "
    "unless an API key is configured). A LoadBalancer Service publishes the GPUs to whoever can "
    "reach the address - on most clouds, the internet - and a NodePort opens the port on every "
    "node. Exposure should go through an Ingress or Gateway with authentication, or be chosen "
    f'knowingly: annotate the Service `{chart_facts.PUBLIC_EXPOSURE}: "true"`.'
)
REFERENCES = (
    "https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer",
    "https://docs.vllm.ai/en/stable/usage/security.html",
)
FIX = (
    f"Use type ClusterIP behind an authenticated Ingress/Gateway, or annotate the Service "
    f'`{chart_facts.PUBLIC_EXPOSURE}: "true"` (an internal load balancer annotation also counts).'
)
EXAMPLE = f"""\
kind: Service
metadata:
  annotations:
    {chart_facts.PUBLIC_EXPOSURE}: "true"
spec:
  type: LoadBalancer
"""
TAGS = ("kubernetes", "ml", "security", "network")
DEFAULTS: dict[str, object] = {}
SCOPE = "set"
EXTERNAL_TYPES = frozenset({"LoadBalancer", "NodePort"})


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for service in objects.of_kind("Service"):
        kind = str(lookup(service.data, "/spec/type") or "ClusterIP")
        annotations = string_map(lookup(service.data, "/metadata/annotations"))
        if kind not in EXTERNAL_TYPES or annotations.get(chart_facts.PUBLIC_EXPOSURE) == "true":
            continue
        selector = string_map(mapping(service.data.get("spec")).get("selector"))
        servers = [
            w
            for w in objects.serving_workloads
            if selector
            and all(w.labels.get(k) == v for k, v in selector.items())
            and any(is_model_server(w, c, ctx) for c in w.containers)
        ]
        if servers:
            message = (
                f"Service {service.name!r} publishes model server {servers[0].obj.name!r} as {kind}"
            )
            yield Issue(ID, "/spec/type", message, obj=service)
