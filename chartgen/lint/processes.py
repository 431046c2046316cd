"""Many inputs, several processes (`chartgen lint -j N`): the Python work of rendering around
Helm, parsing and the rules holds the GIL, so threads alone keep one core busy.

Each worker process (forked: chartgen is imported already) takes one input at a time, renders
its values variants through its own sandboxed Helm worker (chartgen/helm/sandbox.py: the same
time, memory and read bounds), parses them and runs the rules. The parent gets the lint units
back in input order, registers the CRDs of chart `crds/` folders in that order, and validates
every object at once, as the one-process path does, so reports are byte-identical
(tests/lint/test_fast_path.py). An input whose processing raised anything is processed again
here, in order, so the error a user sees is the one the one-process path raises.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from chartgen.lint.inputs import InputPath
from chartgen.lint.options import LintOptions
from chartgen.lint.units import LintUnit
from chartgen.validate.crds import CrdVersion
from chartgen.validate.store import SchemaStore

_RENDERED_KINDS = ("chart", "archive", "spec")  # inputs worth a process: Helm renders them
_Result = tuple[list[LintUnit], list[CrdVersion]] | None


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def process_count(inputs: Sequence[InputPath], options: LintOptions) -> int:
    """How many processes to use: 1 unless several inputs render charts and forking is safe."""
    if not options.shared or not _can_fork(options):
        return 1
    if any(item.kind == "stdin" for item in inputs):
        return 1
    rendered = sum(1 for item in inputs if item.kind in _RENDERED_KINDS)
    return max(1, min(options.jobs or default_jobs(), rendered))


def _can_fork(options: LintOptions) -> bool:
    # a forked child must not call into a Go runtime its parent started (`--set` parsing
    # imports helm_python in-process): the runtime's threads do not survive fork
    go_loaded = "helm_python._native" in sys.modules
    return (
        sys.platform == "linux"
        and "fork" in multiprocessing.get_all_start_methods()
        and not (go_loaded and options.set_values)
    )


def collect_in_processes(
    inputs: Sequence[InputPath],
    options: LintOptions,
    store: SchemaStore,
    scratch: Path,
    processes: int,
    arrived: Callable[[list[LintUnit]], None] | None = None,
) -> list[LintUnit]:
    from chartgen.lint.engine import collect_here

    # The first input here: what every input loads on first use (catalog tables, rule data, the
    # Helm worker's module) is then loaded once, before the fork, not once per process.
    units = collect_here(inputs[:1], options, store, scratch, [0], 1)
    task = functools.partial(_input_units, options=options, scratch=scratch)
    pool = multiprocessing.get_context("fork").Pool(processes, initializer=_child_started)
    try:
        results = pool.imap(task, list(enumerate(inputs))[1:])
        for number, (item, result) in enumerate(zip(inputs[1:], results, strict=True), start=1):
            if result is None:  # raised there: raise (or not) here, with the same message
                units += collect_here([item], options, store, scratch, [_retry(number)], 1)
                continue
            found, crds = result
            store.add_crds(crds)
            units += found
            if arrived is not None:
                arrived(found)
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.close()  # the workers end their Helm workers as they exit
        pool.join()
    return units


def _retry(number: int) -> int:
    return 1_000_000 + number  # a scratch folder the worker did not touch


def _child_started() -> None:
    from multiprocessing.util import Finalize

    from chartgen.helm.sandbox import POOL

    POOL.forget()  # the parent's Helm workers are not this process's
    Finalize(None, POOL.close, exitpriority=10)  # end this process's Helm workers with it


def _input_units(task: tuple[int, InputPath], options: LintOptions, scratch: Path) -> _Result:
    """One input's lint units and the CRDs its charts' `crds/` folders declare, in order."""
    from chartgen.lint.engine import collect_here

    number, item = task
    crds = SchemaStore(options.kube_version, options.strict)
    try:
        units = collect_here([item], options, crds, scratch, [number], 1)
    except Exception:  # re-raised by the parent, which runs the input again
        return None
    return units, list(crds.extra_crds.values())
