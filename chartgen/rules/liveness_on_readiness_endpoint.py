"""Liveness probe on an endpoint that reports readiness or model state."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet
from chartgen.rules.support.probes import http_path
from chartgen.rules.support.runtimes import READINESS_ONLY_PATHS, path_prefixes, runtime_of

ID = "liveness-on-readiness-endpoint"
SEVERITY = Severity.ERROR
SUMMARY = "Liveness must not probe a readiness or model endpoint"
RATIONALE = (
    "Readiness endpoints fail for reasons a restart does not fix: Triton's `/v2/health/ready` is "
    "false while models load in explicit mode, so a liveness probe on it kills the server during "
    "every load (triton-inference-server/server#7014); NIM's `/v1/health/ready` and `/v1/models` "
    "behave the same. Liveness should answer whether the process is alive."
)
REFERENCES = ("triton-inference-server/server#7014", "gpustack/gpustack#6203")
FIX = "Point liveness at the runtime's liveness endpoint (`/v2/health/live`, `/v1/health/live`, `/health`)."
EXAMPLE = """\
livenessProbe:
  httpGet: {path: /v2/health/live, port: http}
readinessProbe:
  httpGet: {path: /v2/health/ready, port: http}
"""
TAGS = ("kubernetes", "ml", "probes", "reliability")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload, container in objects.containers(init=False):
        liveness = container.probe("liveness")
        path = http_path(liveness) if liveness else None
        if path is None:
            continue
        runtime = runtime_of(workload, container, ctx)
        forbidden = READINESS_ONLY_PATHS + (
            path_prefixes(runtime.never_liveness) if runtime else ()
        )
        if path.startswith(forbidden):
            message = f"container {container.name!r} restarts when {path} fails, a readiness/model endpoint"
            yield Issue(
                ID, f"{container.pointer}/livenessProbe/httpGet/path", message, obj=workload.obj
            )
