"""How long a model server may need before it answers: the spec's budget, or an estimate from
the runtime's catalog profile (the custom runtime's profile when the runtime is unknown)."""

from __future__ import annotations

import math

from chartgen import catalog
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.downloads import hub_download
from chartgen.rules.support.objects import Container, Workload
from chartgen.rules.support.runtimes import model_size_gib, runtime_of

UNKNOWN_RUNTIME = "custom"


def required_startup_seconds(
    workload: Workload, container: Container, ctx: RuleContext, floor: int
) -> tuple[int, str]:
    """(seconds, how they were found) a model server needs to start."""
    if ctx.startup_budget_seconds and workload.serves:
        return ctx.startup_budget_seconds, "the spec's startup budget"
    size = model_size_gib(workload, ctx)
    if size is None:
        return floor, "the minimum for model servers"
    runtime = runtime_of(workload, container, ctx) or catalog.runtime(UNKNOWN_RUNTIME)
    warmup, load = runtime.startup_base_seconds, runtime.load_throughput_mib_s
    how = f"{warmup}s warm-up + {size:g} GiB at {load} MiB/s"
    seconds = warmup + size * 1024 / load
    if hub_download(workload, container) is not None:  # fetched before it can load
        speed = catalog.model_stores().download_mib_s
        seconds += size * 1024 / speed
        how += f" + download at {speed} MiB/s"
    estimate = math.ceil(seconds)
    if estimate <= floor:
        return floor, "the minimum for model servers"
    return estimate, how
