"""Human output: one `file:line: severity: message [rule] Kind/name /json/path` line per finding,
then a summary. Suppressed findings are only counted."""

from __future__ import annotations

from chartgen.findings import Finding, InputSummary, LintResult, Severity
from chartgen.report.context import ReportContext

_COLORS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
_RESET = "\x1b[0m"
_NOUNS = {Severity.ERROR: ("error", "errors"), Severity.WARNING: ("warning", "warnings")}


def render(result: LintResult, context: ReportContext) -> str:
    active = [f for f in result.findings if not f.suppressed_by]
    lines: list[str] = []
    for finding in active:
        lines.append(finding_line(finding, context))
        if context.verbosity >= 2:
            lines += [f"  {detail}" for detail in _details(finding)]
    if context.verbosity >= 2:
        lines += [input_line(summary) for summary in result.inputs]
    if context.verbosity >= 1 or active:
        lines.append(summary_line(result))
    return "".join(f"{line}\n" for line in lines)


def finding_line(finding: Finding, context: ReportContext) -> str:
    severity = finding.severity.label
    if context.color:
        severity = f"{_COLORS[finding.severity]}{severity}{_RESET}"
    subject = " ".join(part for part in (str(finding.obj), finding.json_path) if part)
    tail = f" {subject}" if subject else ""
    return f"{finding.location}: {severity}: {finding.message} [{finding.rule_id}]{tail}"


def _details(finding: Finding) -> list[str]:
    details = []
    if finding.rendered:
        details.append(f"rendered: {finding.rendered}")
    if finding.remediation:
        details.append(f"fix: {finding.remediation}")
    return details


def input_line(summary: InputSummary) -> str:
    variant = f" [{summary.variant}]" if summary.variant else ""
    return f"linted {summary.kind} {summary.name}{variant}: {summary.objects} objects"


def summary_line(result: LintResult) -> str:
    counts = result.counts()
    parts = [
        _count(counts[severity], *_NOUNS.get(severity, ("info", "info")))
        for severity in reversed(Severity)
    ]
    suppressed = sum(1 for f in result.findings if f.suppressed_by)
    if suppressed:
        parts.append(f"{suppressed} suppressed")
    objects = sum(summary.objects for summary in result.inputs)
    inputs = _count(len(result.inputs), "input", "inputs")
    return f"chartgen lint: {', '.join(parts)} in {inputs} ({_count(objects, 'object', 'objects')})"


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"
