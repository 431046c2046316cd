"""Container behind a Service without a readiness probe."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet

ID = "readiness-probe-missing"
SEVERITY = Severity.ERROR
SUMMARY = "Containers that serve a Service need a readiness probe"
RATIONALE = (
    "Without a readiness probe a pod receives traffic as soon as its containers start: for a model "
    "server that is minutes before the model is loaded, so every request in that window fails "
    "(vllm-project/aibrix PR #2264). Same check as kube-linter `no-readiness-probe`, Polaris "
    "`readinessProbeMissing`, kube-score `pod-probes`."
)
REFERENCES = (
    "vllm-project/aibrix#2264",
    "https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/",
)
FIX = "Add a readinessProbe on an endpoint that answers only when the model is served."
EXAMPLE = """\
readinessProbe:
  httpGet: {path: /health, port: http}
  periodSeconds: 10
  failureThreshold: 3
"""
TAGS = ("kubernetes", "probes", "reliability")
DEFAULTS: dict[str, object] = {}
SCOPE = "set"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload in objects.serving_workloads:
        if not objects.services_for(workload):
            continue
        for container in workload.containers:
            if container.ports and not container.has_probe("readiness"):
                message = (
                    f"container {container.name!r} is behind a Service but has no readinessProbe"
                )
                yield Issue(ID, container.pointer, message, obj=workload.obj)
