"""GitHub Actions workflow commands: one `::error file=...,line=...,col=...,title=...::message`
annotation per active finding (INFO becomes `notice`). Suppressed findings are left out."""

from __future__ import annotations

from chartgen.findings import Finding, LintResult, Severity
from chartgen.report.context import ReportContext

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(result: LintResult, context: ReportContext | None = None) -> str:
    return "".join(annotation(f) + "\n" for f in result.findings if not f.suppressed_by)


def annotation(finding: Finding) -> str:
    location = finding.location
    properties = [f"file={_property(location.file)}"]
    if location.line:
        properties.append(f"line={location.line}")
    if location.column:
        properties.append(f"col={location.column}")
    properties.append(f"title={_property(finding.rule_id)}")
    subject = f" ({finding.obj})" if str(finding.obj) else ""
    message = f"{finding.message}{subject}" + (
        f"\nFix: {finding.remediation}" if finding.remediation else ""
    )
    return f"::{COMMANDS[finding.severity]} {','.join(properties)}::{_data(message)}"


def _data(text: str) -> str:
    """Escaping of the message part (actions/toolkit `escapeData`)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """Escaping of a property value (actions/toolkit `escapeProperty`)."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")
