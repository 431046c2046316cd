"""Machine output, a versioned document:
{"schemaVersion": 1, "tool": {...}, "summary": {...}, "inputs": [...], "results": [...]}.
Each result: ruleId, level, message, remediation, resource, jsonPointer, location (where to fix
it), rendered (where it is in Helm's output, or null) and suppressed (null or {"by": ...})."""

from __future__ import annotations

import json
from typing import Any

from chartgen.errors import Location
from chartgen.findings import Finding, InputSummary, LintResult, Severity
from chartgen.report.context import ReportContext

SCHEMA_VERSION = 1


def render(result: LintResult, context: ReportContext) -> str:
    document = {
        "schemaVersion": SCHEMA_VERSION,
        "tool": {"name": "chartgen", "version": context.tool_version},
        "summary": summary(result, context),
        "inputs": [input_entry(item) for item in result.inputs],
        "results": [result_entry(finding) for finding in result.findings],
    }
    return json.dumps(document, indent=2) + "\n"


def summary(result: LintResult, context: ReportContext) -> dict[str, Any]:
    counts = result.counts()
    return {
        "errors": counts[Severity.ERROR],
        "warnings": counts[Severity.WARNING],
        "info": counts[Severity.INFO],
        "suppressed": sum(1 for f in result.findings if f.suppressed_by),
        "inputs": len(result.inputs),
        "resources": sum(item.objects for item in result.inputs),
        "failOn": context.fail_on.label,
        "failed": result.failed(context.fail_on),
        "durationMs": round(result.duration_seconds * 1000),
    }


def input_entry(item: InputSummary) -> dict[str, Any]:
    return {"name": item.name, "kind": item.kind, "variant": item.variant, "objects": item.objects}


def result_entry(finding: Finding) -> dict[str, Any]:
    obj = finding.obj
    return {
        "ruleId": finding.rule_id,
        "level": finding.severity.label,
        "message": finding.message,
        "remediation": finding.remediation,
        "resource": {
            "apiVersion": obj.api_version,
            "kind": obj.kind,
            "namespace": obj.namespace,
            "name": obj.name,
        },
        "jsonPointer": finding.json_path,
        "location": location_entry(finding.location),
        "rendered": location_entry(finding.rendered) if finding.rendered else None,
        "suppressed": {"by": finding.suppressed_by} if finding.suppressed_by else None,
    }


def location_entry(location: Location) -> dict[str, Any]:
    return {"file": location.file, "line": location.line, "column": location.column}
