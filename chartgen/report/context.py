"""What every reporter gets besides the LintResult."""

from __future__ import annotations

from dataclasses import dataclass

from chartgen._version import __version__
from chartgen.findings import Severity


@dataclass(frozen=True)
class ReportContext:
    """How to report, beyond the result itself."""

    color: bool = False  # ANSI colours (only when writing to a terminal)
    verbosity: int = 1  # 0 quiet, 1 normal, 2+ verbose (e.g. per-input summary lines)
    fail_on: Severity = Severity.ERROR
    tool_version: str = __version__
