"""How long a model server may need before it answers: the spec's budget, or an estimate."""

from __future__ import annotations

import math

from chartgen.rules.context import RuleContext
from chartgen.rules.objects import Container, Workload
from chartgen.rules.runtimes import model_size_gib, runtime_of

DEFAULT_WARMUP_SECONDS = 60
DEFAULT_LOAD_MIB_S = 800  # optimistic on purpose: a budget below even this is surely too short


def required_startup_seconds(
    workload: Workload, container: Container, ctx: RuleContext, floor: int
) -> tuple[int, str]:
    """(seconds, how they were found) a model server needs to start."""
    if ctx.startup_budget_seconds and workload.serves:
        return ctx.startup_budget_seconds, "the spec's startup budget"
    size = model_size_gib(workload, ctx)
    if size is None:
        return floor, "the minimum for model servers"
    runtime = runtime_of(workload, container, ctx)
    warmup = runtime.warmup_seconds if runtime else DEFAULT_WARMUP_SECONDS
    load = runtime.load_mib_s if runtime else DEFAULT_LOAD_MIB_S
    estimate = math.ceil(warmup + size * 1024 / load)
    if estimate <= floor:
        return floor, "the minimum for model servers"
    return estimate, f"{warmup}s warm-up + {size:g} GiB at {load} MiB/s"
