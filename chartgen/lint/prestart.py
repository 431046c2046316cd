"""The Helm worker of `chartgen lint` starts as early as the command line allows.

A worker takes ~80 ms to start (a Python, then the Go runtime of the Helm SDK). Started from
the raw arguments, before click and the lint modules are imported (~100 ms), it is ready on
the other core when the first chart renders, and a one-chart lint (pre-commit) never waits for
it. Light imports only: this runs before anything else of lint loads.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

CHART_FILE = "Chart.yaml"
# Options that change which worker lint needs (engine, limits) or mean it renders nothing: with
# one of them the command's own prestart decides, once click has parsed them.
_DECIDED_LATER = frozenset(
    (
        "--engine",
        "--helm",
        "--render-timeout",
        "--render-memory",
        "--export-schemas",
        "--help",
        "-h",
    )
)


def chart_root(path: Path) -> Path | None:
    """The nearest directory holding a Chart.yaml at or above `path`."""
    start = path if path.is_dir() else path.parent
    for directory in [start, *start.parents]:
        if (directory / CHART_FILE).is_file():
            return directory
    return None


def holds_chart(path: Path, budget: int = 2000) -> bool:
    """A chart, a chart archive, or a folder with a chart inside (looking at `budget` entries at
    most: a big tree is taken to hold one)."""
    if path.name.endswith((".tgz", ".tar.gz")) or (path / CHART_FILE).is_file():
        return True
    if not path.is_dir():
        return False
    for _, dirs, files in os.walk(path):
        budget -= len(dirs) + len(files)
        if CHART_FILE in files or budget < 0:
            return True
        dirs[:] = [d for d in dirs if not d.startswith(".")]
    return False


def prestart(paths: Iterable[str], seconds: float | None, memory_mib: int | None) -> None:
    """Start the embedded engine's worker when a chart is among `paths` (manifests need no Helm)."""
    if not any(holds_chart(Path(p)) for p in paths if p != "-"):
        return
    from chartgen.helm.sandbox import POOL, Limits

    POOL.prestart(Limits.of(seconds, memory_mib))


def prestart_from_argv(args: Sequence[str]) -> None:
    """`chartgen [global options] lint ARGS...` as typed: start the worker with the default
    engine and limits when ARGS name a chart (or, with --pre-commit, a file inside one).
    Anything else waits for the command's own prestart, after click parsed the options."""
    words = list(args)
    command = next((i for i, word in enumerate(words) if not word.startswith("-")), None)
    if command is None or words[command] != "lint":
        return
    rest = words[command + 1 :]
    if any(word.split("=", 1)[0] in _DECIDED_LATER for word in rest):
        return
    candidates = [word for word in rest if not word.startswith("-")]
    # best effort: a path the OS refuses (too long, unreadable) is the command's to report
    with contextlib.suppress(OSError):
        if "--pre-commit" in rest:
            candidates = [str(root) for root in _roots(candidates)]
        prestart(candidates, None, None)


def _roots(files: Iterable[str]) -> list[Path]:
    roots = (chart_root(Path(name)) for name in files)
    return list(dict.fromkeys(root for root in roots if root is not None))
