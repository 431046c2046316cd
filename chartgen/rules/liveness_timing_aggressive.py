"""Liveness probe timings that restart busy model servers."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet
from chartgen.rules.support.probes import cannot_fail, timing
from chartgen.rules.support.runtimes import is_model_server

ID = "liveness-timing-aggressive"
SEVERITY = Severity.WARNING
SUMMARY = "Model server liveness probes need a timeout and failure threshold that survive load"
RATIONALE = (
    "Under a full batch a model server answers health checks slowly. The Kubernetes default "
    "`timeoutSeconds: 1` or a `failureThreshold: 1` restarts healthy, busy GPU servers, and the "
    "restart costs a full model load (ai-dynamo/dynamo PR #2124 review)."
)
REFERENCES = ("ai-dynamo/dynamo#2124",)
FIX = "Raise liveness `timeoutSeconds` and `failureThreshold` (2 each at least; 5 s and 3-4 are typical)."
EXAMPLE = """\
livenessProbe:
  httpGet: {path: /health, port: http}
  periodSeconds: 15
  timeoutSeconds: 5
  failureThreshold: 4
"""
TAGS = ("kubernetes", "ml", "probes", "reliability")
DEFAULTS: dict[str, object] = {"min-timeout-seconds": 2, "min-failure-threshold": 2}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    options = ctx.options(ID, DEFAULTS)
    minimums = {
        "timeoutSeconds": options["min-timeout-seconds"],
        "failureThreshold": options["min-failure-threshold"],
    }
    for workload, container in objects.containers(init=False):
        liveness = container.probe("liveness")
        if liveness is None or cannot_fail(liveness):
            continue  # a probe that always succeeds never restarts the container
        if not is_model_server(workload, container, ctx):
            continue
        for field, minimum in minimums.items():
            value = timing(liveness, field)
            if value < int(minimum):
                pointer = f"{container.pointer}/livenessProbe" + (
                    f"/{field}" if field in liveness else ""
                )
                message = (
                    f"container {container.name!r} liveness {field} is {value} (at least {minimum})"
                )
                yield Issue(ID, pointer, message, obj=workload.obj)
