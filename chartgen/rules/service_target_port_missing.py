"""Service targetPort that the selected pods do not declare."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, Workload, lookup, mapping, sequence
from chartgen.rules.support.quantities import integer
from chartgen.rules.support.selectors import string_map

ID = "service-target-port-missing"
SEVERITY = Severity.ERROR
SUMMARY = "Service targetPorts must name or number a port of the selected containers"
RATIONALE = (
    "A named targetPort that no selected container declares gives the Service no usable endpoints; "
    "a number that no container declares usually means the serving port changed on one side only "
    "(vLLM 8000, TGI 80/8080, Triton 8000/8001/8002, SGLang 30000). kube-linter `invalid-target-ports`."
)
REFERENCES = ("https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports",)
FIX = "Target a declared container port, preferably by name (`targetPort: http`)."
EXAMPLE = """\
ports:
  - name: http
    port: 80
    targetPort: http
"""
TAGS = ("kubernetes", "networking", "correctness")
DEFAULTS: dict[str, object] = {}
SCOPE = "set"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for service in objects.of_kind("Service"):
        selected = objects.selected_by_map(string_map(lookup(service.data, "/spec/selector")))
        if not selected:
            continue
        for index, port in enumerate(sequence(lookup(service.data, "/spec/ports"))):
            target = mapping(port).get("targetPort", mapping(port).get("port"))
            if target is not None and not any(_declares(w, target) for w in selected):
                pointer = f"/spec/ports/{index}" + (
                    "/targetPort" if "targetPort" in mapping(port) else ""
                )
                yield Issue(
                    ID,
                    pointer,
                    f"targetPort {target!r} is not a port of the selected pods",
                    obj=service,
                )


def _declares(workload: Workload, target: Any) -> bool:
    number = integer(target)
    containers = workload.containers
    if number is not None:
        declared = [c for c in containers if c.ports]
        return not declared or any(number in c.port_numbers for c in declared)
    return any(str(target) in c.port_names for c in containers)
