"""Termination grace period too short to finish streamed generations."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import Container, ObjectSet, lookup, sequence
from chartgen.rules.support.quantities import integer
from chartgen.rules.support.runtime_flags import SHUTDOWN_TIMEOUT, int_setting
from chartgen.rules.support.runtimes import runtime_of

ID = "grace-period-below-generation-time"
SEVERITY = Severity.WARNING
SUMMARY = (
    "LLM servers need a preStop drain and a grace period longer than drain plus generation time"
)
RATIONALE = (
    "On every rollout and scale-in the pod gets SIGTERM and, `terminationGracePeriodSeconds` later "
    "(30 s by default), SIGKILL: streamed generations that take minutes are cut. A preStop pause lets "
    "endpoints stop routing first; the grace period must cover that pause plus the longest request "
    "(kserve/kserve#5485, #5496; kubernetes-sigs/gateway-api-inference-extension#549; vLLM's "
    "`--shutdown-timeout`, vllm-project/vllm#43208)."
)
REFERENCES = (
    "kserve/kserve#5485",
    "kserve/kserve#5496",
    "kubernetes-sigs/gateway-api-inference-extension#549",
    "vllm-project/vllm#43208",
)
FIX = "Add a preStop pause and set terminationGracePeriodSeconds >= preStop + longest request (+ margin)."
EXAMPLE = """\
terminationGracePeriodSeconds: 150
containers:
  - name: model-server
    lifecycle:
      preStop:
        exec: {command: [sleep, "15"]}
"""
TAGS = ("kubernetes", "ml", "rollout", "reliability")
DEFAULTS: dict[str, object] = {"min-drain-seconds": 30}
SCOPE = "object"
DEFAULT_GRACE_SECONDS = 30


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    floor = int(ctx.options(ID, DEFAULTS)["min-drain-seconds"])
    for workload in objects.serving_workloads:
        grace = integer(workload.pod.get("terminationGracePeriodSeconds"))
        grace = DEFAULT_GRACE_SECONDS if grace is None else grace
        for container in workload.containers:
            runtime = runtime_of(workload, container, ctx)
            if runtime is None or not runtime.llm:
                continue
            if "preStop" not in (lookup(container.data, "/lifecycle") or {}):
                yield Issue(
                    ID,
                    container.pointer,
                    f"container {container.name!r} has no preStop drain",
                    obj=workload.obj,
                )
                continue
            expected = floor if ctx.max_request_seconds is None else ctx.max_request_seconds
            drain = max(expected, _shutdown_timeout(container))
            pause = _pre_stop_seconds(container)
            if grace < pause + drain:
                message = f"grace period {grace}s < preStop {pause}s + {drain}s to finish in-flight generations"
                yield Issue(
                    ID,
                    f"{workload.pod_pointer}/terminationGracePeriodSeconds",
                    message,
                    obj=workload.obj,
                )


def _shutdown_timeout(container: Container) -> int:
    found = int_setting(container, SHUTDOWN_TIMEOUT)
    return found[0] if found else 0


def _pre_stop_seconds(container: Container) -> int:
    """The `sleep N` of an exec preStop (or the native sleep action); 0 when unknown."""
    pre_stop = lookup(container.data, "/lifecycle/preStop") or {}
    native = integer(lookup(pre_stop, "/sleep/seconds"))
    if native is not None:
        return native
    words = [str(w) for w in sequence(lookup(pre_stop, "/exec/command"))]
    text = " ".join(words).split()
    for index, word in enumerate(text[:-1]):
        if word.endswith("sleep") and integer(text[index + 1].strip("\"';")) is not None:
            return integer(text[index + 1].strip("\"';")) or 0
    return 0
