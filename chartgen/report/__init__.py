"""Reporters: LintResult -> text in one output format. `--format NAME` looks NAME up in REPORTERS.

To add a format, write a module with `render(result: LintResult, context: ReportContext) -> str`
and add one entry to REPORTERS.
"""

from __future__ import annotations

from collections.abc import Callable

from chartgen.findings import LintResult
from chartgen.report import github, json_report, junit, sarif, text
from chartgen.report.context import ReportContext

Reporter = Callable[[LintResult, ReportContext], str]

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "github": github.render,
}

__all__ = ["REPORTERS", "ReportContext", "Reporter"]
