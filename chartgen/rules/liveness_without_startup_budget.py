"""Liveness probe that can kill a model server before the model has loaded."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import Container, ObjectSet, Workload
from chartgen.rules.support.probes import budget_seconds, cannot_fail
from chartgen.rules.support.runtimes import is_model_server, runtime_of
from chartgen.rules.support.startup import required_startup_seconds

ID = "liveness-without-startup-budget"
SEVERITY = Severity.ERROR
SUMMARY = "Model servers with a liveness probe need a startup probe covering the model load time"
RATIONALE = (
    "Loading weights, compiling and capturing CUDA graphs takes minutes (gemma-3-1b: 2.65 min, "
    "vllm-project/vllm#17386; 70B models 10-20 min). A liveness probe without a startup probe starts "
    "counting at `initialDelaySeconds` and restarts the container mid-load, forever: KServe shipped "
    "vLLM templates with 120/300 s delays and large models crash-looped until a 60x10 s startup probe "
    "was added (kserve/kserve#5062, PR #5063). The budget needed comes from the spec, from the "
    "`chartgen.dev/model-size-gib` annotation (warm-up + size / load throughput), or at least "
    "`min-startup-seconds`. Only runtimes whose start the catalog knows are judged (recognised "
    "from catalog data: image, command, chartgen's annotation, or a spec's budget): ollama, for "
    "one, listens at once and loads a model on its first request, so no load phase precedes its "
    "liveness probe."
)
REFERENCES = (
    "kserve/kserve#5062",
    "kserve/kserve#5063",
    "vllm-project/aibrix#782",
    "vllm-project/vllm#17386",
)
FIX = (
    "Add a startupProbe whose `failureThreshold x periodSeconds` covers the model load time; keep the "
    "liveness probe short."
)
EXAMPLE = """\
startupProbe:
  httpGet: {path: /health, port: http}
  periodSeconds: 10
  failureThreshold: 90   # 15 minutes to load
livenessProbe:
  httpGet: {path: /health, port: http}
  periodSeconds: 15
  timeoutSeconds: 5
  failureThreshold: 4
"""
TAGS = ("kubernetes", "ml", "probes", "reliability")
DEFAULTS: dict[str, object] = {"min-startup-seconds": 300}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    floor = int(ctx.options(ID, DEFAULTS)["min-startup-seconds"])
    for workload, container in objects.containers(init=False):
        liveness = container.probe("liveness")
        if liveness is None or cannot_fail(liveness):
            continue  # a probe that always succeeds never restarts the container
        if not is_model_server(workload, container, ctx):
            continue
        if not _knows_startup(workload, container, ctx):
            continue
        needed, why = required_startup_seconds(workload, container, ctx, floor)
        startup = container.probe("startup")
        probe, kind = (
            (startup, "startupProbe") if startup is not None else (liveness, "livenessProbe")
        )
        budget = budget_seconds(probe)
        if budget < needed:
            detail = (
                "its startupProbe allows"
                if startup is not None
                else "it has no startupProbe and liveness allows"
            )
            message = f"container {container.name!r} may need {needed}s to load ({why}) but {detail} {budget}s"
            yield Issue(ID, f"{container.pointer}/{kind}", message, obj=workload.obj)


def _knows_startup(workload: Workload, container: Container, ctx: RuleContext) -> bool:
    """The spec gives the budget, or the catalog knows the runtime's start (warm-up, load rate)."""
    spec_budget = bool(ctx.startup_budget_seconds and workload.serves)
    return spec_budget or runtime_of(workload, container, ctx) is not None
