"""Readiness and liveness on the same endpoint where the runtime offers a separate ready one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, mapping
from chartgen.rules.support.probes import http_path
from chartgen.rules.support.runtimes import path_prefixes, runtime_of

ID = "readiness-same-as-liveness"
SEVERITY = Severity.WARNING
SUMMARY = "Readiness should use the runtime's ready endpoint, not the liveness one"
RATIONALE = (
    "Runtimes such as Triton separate 'the process is alive' (/v2/health/live) from 'the models "
    "are loaded and can serve' (/v2/health/ready). A readiness probe on the liveness endpoint "
    "sends traffic to a server that is still loading (or has unloaded) its model; clients get "
    "errors during every start and rollout. The runtime's endpoints come from its catalog profile."
)
REFERENCES = (
    "https://github.com/kserve/open-inference-protocol/blob/main/specification/protocol/inference_rest.md#health",
)
FIX = "Point the readiness probe at the runtime's readiness endpoint (see `chartgen explain` references)."
EXAMPLE = """\
readinessProbe:
  httpGet: {path: /v2/health/ready, port: http}
livenessProbe:
  httpGet: {path: /v2/health/live, port: http}
"""
TAGS = ("kubernetes", "ml", "probes", "reliability")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload in objects.serving_workloads:
        for container in workload.containers:
            runtime = runtime_of(workload, container, ctx)
            readiness, liveness = container.probe("readiness"), container.probe("liveness")
            if runtime is None or readiness is None or liveness is None:
                continue
            ready_path = path_prefixes((runtime.readiness.path,))[0]
            if ready_path == path_prefixes((runtime.liveness.path,))[0]:
                continue  # the runtime has one health endpoint
            if _target(readiness) == _target(liveness) and not str(
                http_path(readiness) or ""
            ).startswith(ready_path):
                message = (
                    f"container {container.name!r} ({runtime.name}) checks readiness on "
                    f"{http_path(readiness)}, its liveness endpoint; the ready one is "
                    f"{runtime.readiness.path}"
                )
                yield Issue(ID, f"{container.pointer}/readinessProbe", message, obj=workload.obj)


def _target(probe: dict[str, Any]) -> tuple[str | None, str]:
    return http_path(probe), str(mapping(probe.get("httpGet")).get("port"))
