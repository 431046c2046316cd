"""Where `chartgen lint` spends its time, per stage, in one process and one thread (-j 1).

CPU seconds of this process per stage (thread CPU time, so the figures hold on a loaded
machine), plus the CPU of the sandboxed Helm worker process (Go rendering, and its start).
The stages: start-up/imports, chart load (the guard's walk, crds/, Chart.yaml), render (the
Helm worker), split/parse, schema (building the standalone schemas, then checking), rules,
report (JSON). Start-up/imports counts every module lint loads, the rule modules included,
which `chartgen lint` itself imports while the Helm worker renders the first chart. For a
call-level profile: python -m cProfile -s cumulative -m chartgen lint ...

Usage: python bench/lint_profile.py PATH...      (e.g. a folder of charts, one chart)
"""

from __future__ import annotations

import collections
import os
import sys
import time
from collections.abc import Callable
from typing import Any

STAGES: collections.Counter[str] = collections.Counter()
_started = time.process_time()

import chartgen.lint.charts as charts  # noqa: E402 - the imports are the first stage
import chartgen.lint.engine as engine  # noqa: E402
import chartgen.lint.rule_stage as rule_stage  # noqa: E402
import chartgen.validate.builtin as builtin  # noqa: E402
import chartgen.validate.store as store  # noqa: E402
from chartgen.helm import sandbox  # noqa: E402
from chartgen.lint.options import LintOptions  # noqa: E402
from chartgen.report import json_report  # noqa: E402
from chartgen.report.context import ReportContext  # noqa: E402

STAGES["start-up/imports"] = time.process_time() - _started


def timed(owner: Any, name: str, stage: str) -> None:
    """Charge every call of owner.name to `stage` (nested stages are subtracted below)."""
    function: Callable[..., Any] = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.thread_time()
        try:
            return function(*args, **kwargs)
        finally:
            STAGES[stage] += time.thread_time() - start

    setattr(owner, name, wrapper)


def worker_cpu() -> float:
    total = 0.0
    for process in sandbox.POOL._all:  # a benchmark looks inside
        with open(f"/proc/{process.child.pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def main(paths: list[str]) -> None:
    timed(engine, "guard_chart", "chart load")
    timed(engine, "chart_crds", "chart load")
    timed(charts, "declared_target", "chart load")
    timed(sandbox.WorkerPool, "call", "render (this process: requests, replies)")
    timed(charts, "_add_documents", "split/parse")
    timed(store.SchemaStore, "lookup", "schema: build standalone schemas")
    timed(builtin.BuiltinBackend, "check", "schema: check objects")
    # the engine imports the rule stage while Helm renders (older trees: at import)
    timed(engine if hasattr(engine, "rule_findings") else rule_stage, "rule_findings", "rules")
    engine.MAX_RENDER_THREADS = 1
    start = time.process_time()
    one_process = {"jobs": 1} if "jobs" in LintOptions.__dataclass_fields__ else {}  # older trees
    result = engine.lint_paths(paths, LintOptions(**one_process))
    total = time.process_time() - start
    start = time.process_time()
    json_report.render(result, ReportContext())
    STAGES["report (JSON)"] = time.process_time() - start
    STAGES["schema: check objects"] -= STAGES["schema: build standalone schemas"]
    STAGES["render (Helm worker process: Go render and its start)"] = worker_cpu()
    STAGES["lint_paths total, this process"] = total
    for stage, seconds in STAGES.items():
        print(f"{stage:<56} {seconds * 1000:8.0f} ms CPU")
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main(sys.argv[1:])
