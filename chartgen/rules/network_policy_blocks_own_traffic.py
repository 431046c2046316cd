"""NetworkPolicies that shut out the ingress controller, Gateway or Prometheus the chart relies on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chartgen.findings import Issue, Severity
from chartgen.manifests import ManifestObject
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, Workload, lookup, mapping, sequence
from chartgen.rules.support.selectors import label_selector_matches, map_matches, string_map

ID = "network-policy-blocks-own-traffic"
SEVERITY = Severity.ERROR
SUMMARY = (
    "A NetworkPolicy must admit the namespaces of the chart's own Ingress, Gateway and monitors"
)
RATIONALE = (
    "Ingress controllers, Gateways and Prometheus run in their own namespaces (ingress-nginx, "
    "openshift-ingress, gateway-system, monitoring, openshift-monitoring, gmp-system). A policy "
    "whose ingress rules only name pods of the release namespace (`podSelector` peers without a "
    "`namespaceSelector`) drops their connections wherever policies are enforced (OpenShift, GKE "
    "Dataplane V2, AKS, EKS with policy support): the Ingress/HTTPRoute returns 502/504, the "
    "ServiceMonitor/PodMonitor targets are down and a queue-depth autoscaler has no metric."
)
REFERENCES = (
    "https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors",
    "https://docs.openshift.com/container-platform/latest/networking/network_policy/multitenant-network-policy.html",
)
FIX = (
    "Add an ingress rule with a `namespaceSelector` for the controller's and Prometheus' "
    "namespaces (e.g. `kubernetes.io/metadata.name: ingress-nginx`) on the serving and metrics ports."
)
EXAMPLE = """\
ingress:
  - from:
      - podSelector: {}
      - namespaceSelector:
          matchLabels: {kubernetes.io/metadata.name: ingress-nginx}
      - namespaceSelector:
          matchLabels: {kubernetes.io/metadata.name: monitoring}
"""
TAGS = ("kubernetes", "network", "observability", "correctness")
DEFAULTS: dict[str, object] = {}
SCOPE = "set"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    needs = _cross_namespace_needs(objects)
    for policy in objects.of_kind("NetworkPolicy"):
        if not _restricts_ingress(policy) or _admits_other_namespaces(policy):
            continue
        selected = objects.selected_by(lookup(policy.data, "/spec/podSelector"))
        blocked = sorted({who for w in selected for who in needs.get(id(w.obj), [])})
        if blocked:
            message = (
                f"NetworkPolicy {policy.name!r} admits only pods of its own namespace, "
                f"but {', '.join(blocked)} connect from other namespaces"
            )
            pointer = "/spec/ingress" if "ingress" in mapping(policy.data.get("spec")) else "/spec"
            yield Issue(ID, pointer, message, obj=policy)


def _restricts_ingress(policy: ManifestObject) -> bool:
    spec = mapping(policy.data.get("spec"))
    types = [str(t) for t in sequence(spec.get("policyTypes"))]
    return "Ingress" in types or not types  # no policyTypes: Ingress is always included


def _admits_other_namespaces(policy: ManifestObject) -> bool:
    for rule in sequence(lookup(policy.data, "/spec/ingress")):
        peers = mapping(rule).get("from")
        if not peers:  # no `from`: every source
            return True
        if any("namespaceSelector" in mapping(p) or "ipBlock" in mapping(p) for p in peers):
            return True
    return False


def _cross_namespace_needs(objects: ObjectSet) -> dict[int, list[str]]:
    """Workload object id -> the chart's objects that reach it from another namespace."""
    needs: dict[int, list[str]] = {}

    def add(workloads: list[Workload], who: str) -> None:
        for workload in workloads:
            needs.setdefault(id(workload.obj), []).append(who)

    for ingress in objects.of_kind("Ingress"):
        add(_behind_services(objects, _ingress_services(ingress)), f"Ingress {ingress.name!r}")
    for route in objects.of_kind("HTTPRoute", "GRPCRoute"):
        add(_behind_services(objects, _route_services(route)), f"{route.kind} {route.name!r}")
    for monitor in objects.of_kind("ServiceMonitor"):
        services = [
            s.name
            for s in objects.of_kind("Service")
            if label_selector_matches(
                lookup(monitor.data, "/spec/selector"),
                string_map(lookup(s.data, "/metadata/labels")),
            )
        ]
        add(_behind_services(objects, services), f"ServiceMonitor {monitor.name!r}")
    for monitor in objects.of_kind("PodMonitor"):
        add(
            objects.selected_by(lookup(monitor.data, "/spec/selector")),
            f"PodMonitor {monitor.name!r}",
        )
    return needs


def _behind_services(objects: ObjectSet, names: list[str]) -> list[Workload]:
    found: list[Workload] = []
    for name in names:
        service = objects.find("Service", name)
        selector = string_map(lookup(service.data, "/spec/selector")) if service else {}
        found += [w for w in objects.workloads if map_matches(selector, w.labels)]
    return found


def _ingress_services(ingress: ManifestObject) -> list[str]:
    backends: list[Any] = [lookup(ingress.data, "/spec/defaultBackend")]
    for rule in sequence(lookup(ingress.data, "/spec/rules")):
        backends += [mapping(p).get("backend") for p in sequence(lookup(rule, "/http/paths"))]
    names = (lookup(b, "/service/name") for b in backends)
    return [str(n) for n in names if n]


def _route_services(route: ManifestObject) -> list[str]:
    return [
        str(mapping(ref).get("name"))
        for rule in sequence(lookup(route.data, "/spec/rules"))
        for ref in sequence(mapping(rule).get("backendRefs"))
        if mapping(ref).get("kind", "Service") == "Service" and mapping(ref).get("name")
    ]
