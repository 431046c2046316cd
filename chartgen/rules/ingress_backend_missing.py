"""Ingress backend that names a Service (or port) the chart does not render."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chartgen.findings import Issue, Severity
from chartgen.manifests import ManifestObject
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, lookup, mapping, sequence
from chartgen.rules.support.quantities import integer

ID = "ingress-backend-missing"
SEVERITY = Severity.WARNING
SUMMARY = "Ingress backends should name a Service and port of the chart"
RATIONALE = (
    "An Ingress that points at a Service name or port the chart does not render answers 503 "
    "(the fullname helper changed, or the Service port was renamed). Backends outside the chart "
    "are legitimate; the rule only runs when the chart renders Services. kube-score "
    "`ingress-targets-service`, kube-linter `dangling-ingress`."
)
REFERENCES = ("https://kubernetes.io/docs/concepts/services-networking/ingress/",)
FIX = "Point `backend.service.name` and `port.name`/`port.number` at the chart's Service."
EXAMPLE = """\
backend:
  service:
    name: llm
    port: {name: http}
"""
TAGS = ("kubernetes", "networking", "correctness")
DEFAULTS: dict[str, object] = {}
SCOPE = "set"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    if not objects.of_kind("Service"):
        return
    for ingress in objects.of_kind("Ingress"):
        for pointer, backend in _backends(ingress):
            problem = _problem(objects, mapping(backend))
            if problem:
                yield Issue(ID, pointer, problem, obj=ingress)


def _backends(ingress: ManifestObject) -> Iterator[tuple[str, Any]]:
    default = lookup(ingress.data, "/spec/defaultBackend/service")
    if default is not None:
        yield "/spec/defaultBackend/service", default
    for r, rule in enumerate(sequence(lookup(ingress.data, "/spec/rules"))):
        for p, path in enumerate(sequence(lookup(rule, "/http/paths"))):
            service = lookup(path, "/backend/service")
            if service is not None:
                yield f"/spec/rules/{r}/http/paths/{p}/backend/service", service


def _problem(objects: ObjectSet, backend: dict[str, Any]) -> str:
    name = str(backend.get("name") or "")
    service = objects.find("Service", name)
    if service is None:
        return f"backend Service {name!r} is not rendered by the chart"
    port = mapping(backend.get("port"))
    ports = [mapping(p) for p in sequence(lookup(service.data, "/spec/ports"))]
    if "name" in port and not any(p.get("name") == port["name"] for p in ports):
        return f"Service {name!r} has no port named {port['name']!r}"
    number = integer(port.get("number"))
    if number is not None and not any(integer(p.get("port")) == number for p in ports):
        return f"Service {name!r} has no port {number}"
    return ""
