"""A model server with no startup, readiness or liveness probe at all."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet
from chartgen.rules.support.runtimes import is_model_server

ID = "serving-container-without-probes"
SEVERITY = Severity.WARNING
SUMMARY = "Model servers need probes: traffic waits for the model, hangs get restarted"
RATIONALE = (
    "Without probes a pod is Ready as soon as its process starts: the Service sends requests to a "
    "server that loads its model for minutes, rollouts replace healthy pods with loading ones, "
    "and a hung engine (lost GPU, NCCL deadlock) keeps its traffic forever. Model servers need a "
    "startup probe sized to the load time, a readiness probe on the model-loaded endpoint and a "
    "liveness probe on a cheap health endpoint."
)
REFERENCES = (
    "https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/",
    "https://docs.vllm.ai/en/stable/deployment/k8s.html",
)
FIX = "Add startupProbe, readinessProbe and livenessProbe on the runtime's health endpoints."
EXAMPLE = """\
startupProbe:
  httpGet: {path: /health, port: http}
  failureThreshold: 60
readinessProbe:
  httpGet: {path: /health, port: http}
livenessProbe:
  httpGet: {path: /health, port: http}
"""
TAGS = ("kubernetes", "ml", "probes", "reliability")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"
PROBES = ("startup", "readiness", "liveness")


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload in objects.serving_workloads:
        for container in workload.containers:
            if not is_model_server(workload, container, ctx):
                continue
            if not any(container.has_probe(kind) for kind in PROBES):
                message = (
                    f"model server {container.name!r} has no startup, readiness or liveness probe"
                )
                yield Issue(ID, container.pointer, message, obj=workload.obj)
