"""Bounds on untrusted input, one place for every reader: YAML/JSON files, stdin, values files,
rendered templates, chart archives and Helm renders.

Every YAML or JSON text chartgen reads is first checked against a Budget: its size, its nesting
(before any parser recurses), and the nodes it expands to once aliases are followed (an alias
bomb or a recursive alias stops there). Input files must be regular files: a FIFO or a device
could block or never end.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from chartgen.errors import Location, UserError

MIB = 1024 * 1024


@dataclass(frozen=True)
class Budget:
    """Limits for one input: bytes read, nesting depth, nodes after aliases are expanded."""

    max_bytes: int
    max_depth: int
    max_nodes: int

    def describe(self) -> str:
        return f"{self.max_bytes // MIB} MiB, {self.max_nodes} nodes, {self.max_depth} levels"


# Specs are short hand-written files (docs/spec.md); manifests, values files, rendered charts and
# CRD bundles can be large (the biggest upstream CRD bundles are a few MiB) but never this deep.
SPEC_BUDGET = Budget(max_bytes=1 * MIB, max_depth=64, max_nodes=100_000)
INPUT_BUDGET = Budget(max_bytes=64 * MIB, max_depth=256, max_nodes=4_000_000)

# Helm's own archive limits (helm.sh/helm/v3 pkg/chart/loader/archive.go, v3.22.0 and v4:
# `MaxDecompressedChartSize = 100 * 1024 * 1024`, `MaxDecompressedFileSize = 5 * 1024 * 1024`),
# enforced here while extracting, before anything reaches the disk.
MAX_ARCHIVE_BYTES = 100 * MIB
MAX_ARCHIVE_FILE_BYTES = 5 * MIB
MAX_ARCHIVE_MEMBERS = 10_000

# A Helm render runs in a child process under these bounds (see chartgen/helm/sandbox.py).
RENDER_SECONDS = 60.0
RENDER_MEMORY_MIB = 2048
RENDER_OUTPUT_BYTES = INPUT_BUDGET.max_bytes


class BudgetExceeded(UserError):
    """An input is larger, deeper or expands further than its budget allows."""


def read_input_bytes(path: Path, budget: Budget = INPUT_BUDGET, *, shown: str = "") -> bytes:
    """The bytes of a regular file, at most `budget.max_bytes`; UserError otherwise."""
    name = shown or str(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer before fstat can refuse it.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(descriptor, "rb", buffering=0) as stream:
            mode = os.fstat(descriptor).st_mode
            if not stat.S_ISREG(mode):
                raise UserError(f"{name}: not a regular file ({_file_kind(mode)}); give a file")
            data = _bounded_read(stream, budget.max_bytes)
    except OSError as exc:
        raise UserError(f"cannot read {name}: {exc.strerror or exc}") from None
    if data is None:
        raise BudgetExceeded(f"{name}: larger than {budget.max_bytes // MIB} MiB")
    return data


def read_stdin_bytes(budget: Budget = INPUT_BUDGET) -> bytes:
    """Standard input, at most `budget.max_bytes` (a pipe, a file or /dev/zero alike)."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text stream put in place of stdin (tests, embedding programs)
        text = sys.stdin.read(budget.max_bytes + 1)
        data: bytes | None = text.encode("utf-8", "surrogateescape")
        data = data if data is not None and len(data) <= budget.max_bytes else None
    else:
        data = _bounded_read(stream, budget.max_bytes)
    if data is None:
        raise BudgetExceeded(f"<stdin>: more than {budget.max_bytes // MIB} MiB")
    return data


def _bounded_read(stream: BinaryIO, limit: int) -> bytes | None:
    chunks: list[bytes] = []
    total = 0
    read = stream.read
    while True:
        chunk = read(min(MIB, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            return None


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 text (a BOM is dropped); one line naming the first bad byte's line otherwise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        where = Location(name, line)
        raise UserError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8", where
        ) from None


def read_input_text(path: Path, budget: Budget = INPUT_BUDGET, *, shown: str = "") -> str:
    return decode_text(read_input_bytes(path, budget, shown=shown), shown or str(path))


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a file"


def shallow(text: str, limit: int) -> bool:
    """Whether a cheap upper bound of the nesting depth (from indentation, `- ` runs and flow
    brackets) stays within `limit`. A line's indentation and runs take a character each at
    least, so its length bounds them: only lines longer than the room the brackets leave are
    looked inside (a CRD's long descriptions; most lines are short)."""
    room = limit - (text.count("[") + text.count("{") + 1)
    if room < 0:
        return False
    return all(len(line) <= room or line_nesting(line) <= room for line in text.splitlines())


def line_nesting(line: str) -> int:
    """An upper bound of the nesting one line opens: its indentation, `- ` and `: ` runs."""
    return len(line) - len(line.lstrip(" ")) + line.count("- ") + line.count(": ")
