"""Ingress, HTTPRoute, OpenShift Route or GKE backend policy timeouts that cut streamed LLM
responses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chartgen import catalog
from chartgen.findings import Issue, Severity
from chartgen.manifests import ManifestObject, escape_pointer
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, lookup, mapping, sequence
from chartgen.rules.support.quantities import duration_seconds, haproxy_seconds
from chartgen.rules.support.runtimes import runtime_of
from chartgen.rules.support.selectors import string_map

ID = "ingress-timeout-too-short-for-streaming"
SEVERITY = Severity.WARNING
SUMMARY = "Proxies in front of LLM servers need read/send timeouts longer than a generation"
RATIONALE = (
    "ingress-nginx closes upstream connections idle for 60 s (`proxy-read-timeout`, "
    "`proxy-send-timeout`), which kills long streamed (SSE) generations and slow first tokens "
    "(onyx-dot-app/onyx PR #10247, oasm-platform/open-asm#451). Gateway API HTTPRoutes bound requests "
    "with `timeouts.request`/`backendRequest`. The OpenShift router (HAProxy) ends a Route's "
    "response after 30 s without data unless `haproxy.router.openshift.io/timeout` lifts it (a "
    "bare number there is milliseconds). Behind GKE's Gateway the load balancer's backend "
    "timeout is 30 s unless the Service's GCPBackendPolicy sets `timeoutSec`. The required time is the spec's maximum request "
    "duration, or `min-timeout-seconds`."
)
REFERENCES = (
    "onyx-dot-app/onyx#10247",
    "oasm-platform/open-asm#451",
    "https://gateway-api.sigs.k8s.io/api-types/httproute/#timeouts-optional",
    "https://docs.openshift.com/container-platform/latest/networking/routes/route-configuration.html",
    "https://cloud.google.com/kubernetes-engine/docs/how-to/configure-gateway-resources",
)
FIX = (
    "Set `nginx.ingress.kubernetes.io/proxy-read-timeout` and `proxy-send-timeout` (HTTPRoute: "
    "`timeouts`; Route: `haproxy.router.openshift.io/timeout: 600s`; GCPBackendPolicy: "
    "`default.timeoutSec`) above the longest generation."
)
EXAMPLE = """\
metadata:
  annotations:
    nginx.ingress.kubernetes.io/proxy-read-timeout: "600"
    nginx.ingress.kubernetes.io/proxy-send-timeout: "600"
    nginx.ingress.kubernetes.io/proxy-buffering: "off"
"""
TAGS = ("kubernetes", "ml", "networking")
DEFAULTS: dict[str, object] = {"min-timeout-seconds": 300}
SCOPE = "set"
NGINX = catalog.ingress_nginx()  # prefix, timeout annotations and their default
ROUTE_TIMEOUTS = ("request", "backendRequest")


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    floor = int(ctx.options(ID, DEFAULTS)["min-timeout-seconds"])
    needed = floor if ctx.max_request_seconds is None else ctx.max_request_seconds
    for ingress in objects.of_kind("Ingress"):
        if _is_nginx(ingress) and _fronts_llm(objects, ctx, _ingress_services(ingress)):
            yield from _nginx_violations(ingress, needed)
    for route in objects.of_kind("HTTPRoute"):
        for index, rule in enumerate(sequence(mapping(route.data.get("spec")).get("rules"))):
            services = [
                str(mapping(b).get("name")) for b in sequence(mapping(rule).get("backendRefs"))
            ]
            if _fronts_llm(objects, ctx, services):
                yield from _route_violations(route, index, mapping(rule), needed)
    for route in objects.of_kind("Route"):
        openshift = str(route.api_version).startswith("route.openshift.io/")
        if openshift and _fronts_llm(objects, ctx, _openshift_route_services(route)):
            yield from _router_violations(route, needed)
    for policy in objects.of_kind("GCPBackendPolicy"):
        target = mapping(lookup(policy.data, "/spec/targetRef"))
        if target.get("kind") == "Service" and _fronts_llm(objects, ctx, [str(target.get("name"))]):
            yield from _backend_policy_violations(policy, needed)


def _is_nginx(ingress: ManifestObject) -> bool:
    annotations = string_map(mapping(ingress.data.get("metadata")).get("annotations"))
    ingress_class = str(
        lookup(ingress.data, "/spec/ingressClassName")
        or annotations.get("kubernetes.io/ingress.class")
        or ""
    )
    return (
        "nginx" in ingress_class
        or any(k.startswith(NGINX.annotation_prefix) for k in annotations)
        or not ingress_class
    )


def _ingress_services(ingress: ManifestObject) -> list[str]:
    names = [lookup(ingress.data, "/spec/defaultBackend/service/name")]
    for rule in sequence(lookup(ingress.data, "/spec/rules")):
        names += [
            lookup(path, "/backend/service/name") for path in sequence(lookup(rule, "/http/paths"))
        ]
    return [str(n) for n in names if n]


def _fronts_llm(objects: ObjectSet, ctx: RuleContext, services: list[str]) -> bool:
    for name in services:
        service = objects.find("Service", name)
        selector = string_map(lookup(service.data, "/spec/selector")) if service else {}
        for workload in objects.selected_by_map(selector):
            runtimes = (runtime_of(workload, c, ctx) for c in workload.containers)
            if any(r is not None and r.llm for r in runtimes):
                return True
    return False


def _nginx_violations(ingress: ManifestObject, needed: int) -> Iterator[Issue]:
    annotations = string_map(mapping(ingress.data.get("metadata")).get("annotations"))
    for name in NGINX.timeout_annotations:
        key = NGINX.annotation_prefix + name
        seconds = duration_seconds(annotations.get(key, NGINX.default_timeout_seconds)) or 0
        if seconds < needed:
            pointer = (
                f"/metadata/annotations/{escape_pointer(key)}"
                if key in annotations
                else "/metadata"
            )
            yield Issue(
                ID,
                pointer,
                f"{name} is {seconds:g}s; streamed generations need {needed}s",
                obj=ingress,
            )


def _route_violations(
    route: ManifestObject, index: int, rule: dict[str, Any], needed: int
) -> Iterator[Issue]:
    for name in ROUTE_TIMEOUTS:
        seconds = duration_seconds(mapping(rule.get("timeouts")).get(name))
        if seconds is not None and 0 < seconds < needed:
            pointer = f"/spec/rules/{index}/timeouts/{name}"
            yield Issue(
                ID,
                pointer,
                f"HTTPRoute timeouts.{name} is {seconds:g}s; streamed generations need {needed}s",
                obj=route,
            )


def _openshift_route_services(route: ManifestObject) -> list[str]:
    backends = [lookup(route.data, "/spec/to")]
    backends += sequence(lookup(route.data, "/spec/alternateBackends"))
    return [
        str(mapping(b).get("name"))
        for b in backends
        if mapping(b).get("name") and mapping(b).get("kind", "Service") == "Service"
    ]


def _router_violations(route: ManifestObject, needed: int) -> Iterator[Issue]:
    router = catalog.platform("openshift").router
    assert router is not None  # catalog data: the OpenShift profile describes its router
    annotations = string_map(mapping(route.data.get("metadata")).get("annotations"))
    value = annotations.get(router.timeout_annotation)
    seconds = haproxy_seconds(value)
    if seconds is None:  # absent or not a time the router accepts: its default applies
        seconds = float(router.default_timeout_seconds)
    if seconds >= needed:
        return
    key = router.timeout_annotation
    pointer = f"/metadata/annotations/{escape_pointer(key)}" if value is not None else "/metadata"
    yield Issue(
        ID,
        pointer,
        f"the OpenShift router cuts responses after {seconds:g}s ({key}); streamed generations"
        f" need {needed}s",
        obj=route,
    )


def _backend_policy_violations(policy: ManifestObject, needed: int) -> Iterator[Issue]:
    facts = catalog.platform("gke").gateway_backend
    assert facts is not None  # catalog data: the GKE profile describes its Gateway backend
    value = lookup(policy.data, "/spec/default/timeoutSec")
    seconds = duration_seconds(value)
    if seconds is None:
        seconds = float(facts.default_timeout_seconds)
    if seconds >= needed:
        return
    pointer = "/spec/default/timeoutSec" if value is not None else "/spec"
    yield Issue(
        ID,
        pointer,
        f"GKE's load balancer ends backend responses after {seconds:g}s (timeoutSec);"
        f" streamed generations need {needed}s",
        obj=policy,
    )
