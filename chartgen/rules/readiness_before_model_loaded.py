"""Readiness probe that turns green before the LLM can answer."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.catalog.profiles import RuntimeProfile
from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import Container, ObjectSet
from chartgen.rules.support.probes import http_path
from chartgen.rules.support.runtimes import runtime_of

ID = "readiness-before-model-loaded"
SEVERITY = Severity.WARNING
SUMMARY = "LLM readiness probes must hit an endpoint that proves the model is served"
RATIONALE = (
    "A tcpSocket probe passes as soon as the server binds, and some endpoints answer before the "
    "engine can serve: SGLang's `/v1/models` returns 200 during warm-up while `/health` returns 503 "
    "(gpustack/gpustack#6203). Traffic then reaches pods that time out or fail "
    "(opea-project/GenAIExamples#483, vllm-project/aibrix PR #2264)."
)
REFERENCES = (
    "gpustack/gpustack#6203",
    "opea-project/GenAIExamples#483",
    "kubernetes-sigs/gateway-api-inference-extension#550",
)
FIX = "Probe the runtime's model-aware endpoint: `/health` (vLLM, SGLang, TGI), `/v2/health/ready` (Triton)."
EXAMPLE = """\
readinessProbe:
  httpGet: {path: /health, port: http}
  periodSeconds: 10
"""
TAGS = ("kubernetes", "ml", "probes")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload in objects.serving_workloads:
        for container in workload.containers:
            runtime = runtime_of(workload, container, ctx)
            readiness = container.probe("readiness")
            if runtime is None or readiness is None:
                continue
            problem = _problem(container, runtime, readiness)
            if problem:
                yield Issue(ID, f"{container.pointer}/readinessProbe", problem, obj=workload.obj)


def _problem(container: Container, runtime: RuntimeProfile, readiness: dict[str, object]) -> str:
    path = http_path(readiness)
    if "tcpSocket" in readiness and runtime.llm:
        return f"container {container.name!r} ({runtime.name}) is ready when its port opens, before the model loads"
    if path is not None and path.startswith(runtime.early_readiness or ("\0",)):
        return f"container {container.name!r} ({runtime.name}) probes {path}, which answers before the model is served"
    return ""
