"""Reporters: LintResult -> text in one output format. `--format NAME` looks NAME up in REPORTERS.

To add a format, write a module with `render(result: LintResult, context: ReportContext) -> str`
and add one entry to REPORTERS. A format's module is imported when it is used: a pre-commit run
writing text does not load the XML (JUnit) or hashing (SARIF) libraries.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping

from chartgen.findings import LintResult
from chartgen.report.context import ReportContext

Reporter = Callable[[LintResult, ReportContext], str]


class _Reporters(Mapping[str, Reporter]):
    """Format name -> the `render` function of its module, imported on first use."""

    def __init__(self, modules: dict[str, str]) -> None:
        self._modules = modules

    def __getitem__(self, name: str) -> Reporter:
        render: Reporter = importlib.import_module(self._modules[name]).render
        return render

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)


REPORTERS: Mapping[str, Reporter] = _Reporters(
    {
        "text": "chartgen.report.text",
        "json": "chartgen.report.json_report",
        "sarif": "chartgen.report.sarif",
        "junit": "chartgen.report.junit",
        "github": "chartgen.report.github",
    }
)

__all__ = ["REPORTERS", "ReportContext", "Reporter"]
