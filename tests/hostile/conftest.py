"""Hostile-input suite: every case is bounded in time and memory and needs no network."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Done:
    code: int
    out: str
    err: str


def chartgen(
    *args: str, stdin: bytes | None = None, timeout: float = 120, cwd: Path | None = None
) -> Done:
    """`python -m chartgen ...` in a child process: a crash or an abort cannot take pytest down."""
    done = subprocess.run(
        [sys.executable, "-m", "chartgen", *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=timeout,
        check=False,
        cwd=cwd,
    )
    return Done(
        done.returncode, done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace")
    )


def lint(*args: str, stdin: bytes | None = None, timeout: float = 300) -> Done:
    return chartgen("lint", *args, stdin=stdin, timeout=timeout)


def one_line_error(done: Done) -> str:
    """The single stderr line of an exit-2 run (no traceback, no internal error)."""
    lines = [ln for ln in done.err.splitlines() if ln.strip()]
    assert done.code == 2, (done.code, done.out, done.err)
    assert len(lines) == 1 and lines[0].startswith("error: "), done.err
    assert "Traceback" not in done.err and "internal error" not in done.err
    return lines[0]
