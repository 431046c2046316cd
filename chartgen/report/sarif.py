"""SARIF 2.1.0 for GitHub code scanning.

One run, one rule descriptor per rule, every result with a relative file URI, a 1-based region,
and a partialFingerprints hash of (rule, file, object, JSON pointer) so alerts survive line moves.
Suppressed findings are kept with a `suppressions` entry; `results` is present even when empty.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from chartgen.errors import Location
from chartgen.findings import Finding, LintResult, RuleInfo, Severity
from chartgen.report.context import ReportContext

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/chartgen/chartgen"
SRCROOT = "%SRCROOT%"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SECURITY_SEVERITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.0", Severity.INFO: "2.0"}


def render(result: LintResult, context: ReportContext | None = None) -> str:
    context = context or ReportContext()
    root = Path.cwd()
    rules = _rules(result)
    index = {rule.id: position for position, rule in enumerate(rules)}
    run = {
        "tool": {"driver": _driver(rules, context.tool_version)},
        "invocations": [
            {"executionSuccessful": True, "workingDirectory": {"uri": root.as_uri() + "/"}}
        ],
        "originalUriBaseIds": {SRCROOT: {"uri": root.as_uri() + "/"}},
        "results": [_result(f, index, root) for f in result.findings],
        "columnKind": "unicodeCodePoints",
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2) + "\n"


def _rules(result: LintResult) -> list[RuleInfo]:
    """Every described rule, plus a minimal descriptor for ids only findings mention."""
    rules = dict(result.rules)
    for finding in result.findings:
        rules.setdefault(
            finding.rule_id, RuleInfo(finding.rule_id, finding.severity, finding.rule_id)
        )
    return list(rules.values())


def _driver(rules: list[RuleInfo], version: str) -> dict[str, Any]:
    return {
        "name": "chartgen",
        "version": version,
        "semanticVersion": version,
        "informationUri": INFORMATION_URI,
        "rules": [_descriptor(rule) for rule in rules],
    }


def _descriptor(rule: RuleInfo) -> dict[str, Any]:
    description = rule.description or rule.summary
    properties: dict[str, Any] = {
        "tags": list(rule.tags or ("kubernetes",))[:20],
        "precision": "high",
    }
    if "security" in rule.tags:
        properties["security-severity"] = SECURITY_SEVERITY[rule.severity]
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.summary[:1024]},
        "fullDescription": {"text": description[:1024]},
        "help": {"text": _help_text(rule), "markdown": _help_markdown(rule)},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": properties,
    }


def _help_text(rule: RuleInfo) -> str:
    parts = [rule.summary, rule.description, f"Fix: {rule.remediation}" if rule.remediation else ""]
    parts.append("References: " + ", ".join(rule.references) if rule.references else "")
    return "\n\n".join(part for part in parts if part)


def _help_markdown(rule: RuleInfo) -> str:
    parts = [f"**{rule.summary}**", rule.description]
    if rule.remediation:
        parts.append(f"**Fix:** {rule.remediation}")
    if rule.references:
        parts.append("**References:**\n" + "\n".join(f"- {ref}" for ref in rule.references))
    parts.append(f"Run `chartgen explain {rule.id}` for an example.")
    return "\n\n".join(part for part in parts if part)


def _result(finding: Finding, index: dict[str, int], root: Path) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": index[finding.rule_id],
        "level": LEVELS[finding.severity],
        "message": {"text": _message(finding)},
        "locations": [_location(finding.location, root, finding)],
        "partialFingerprints": {"primaryLocationLineHash": fingerprint(finding, root)},
    }
    if finding.rendered and finding.rendered != finding.location:
        entry["relatedLocations"] = [
            {"id": 1, **_location(finding.rendered, root), "message": {"text": "rendered manifest"}}
        ]
    if finding.suppressed_by:
        entry["suppressions"] = [{"kind": "inSource", "justification": finding.suppressed_by}]
    return entry


def _message(finding: Finding) -> str:
    subject = f" ({finding.obj})" if str(finding.obj) else ""
    text = f"{finding.message.rstrip('.')}{subject}."
    return f"{text} Fix: {finding.remediation}" if finding.remediation else text


def _location(location: Location, root: Path, finding: Finding | None = None) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": max(location.line, 1)}
    if location.column:
        region["startColumn"] = location.column
    physical = {
        "artifactLocation": {"uri": relative_uri(location.file, root), "uriBaseId": SRCROOT},
        "region": region,
    }
    entry: dict[str, Any] = {"physicalLocation": physical}
    if finding is not None and str(finding.obj):
        name = "/".join(p for p in (finding.obj.kind, finding.obj.namespace, finding.obj.name) if p)
        entry["logicalLocations"] = [
            {"fullyQualifiedName": f"{name}{finding.json_path}", "kind": "object"}
        ]
    return entry


def relative_uri(file: str, root: Path) -> str:
    """A repository-relative, forward-slash URI (absolute paths under the working directory)."""
    path = Path(file)
    if path.is_absolute() and path.is_relative_to(root):
        path = path.relative_to(root)
    text = path.as_posix()
    return text[2:] if text.startswith("./") else text or "."


def fingerprint(finding: Finding, root: Path) -> str:
    """Stable across runs and line moves: rule, file, object and field, not the line."""
    obj = finding.obj
    field = finding.json_path or finding.message  # input-level findings have no object or field
    key = "\0".join(
        (
            finding.rule_id,
            relative_uri(finding.location.file, root),
            obj.kind,
            obj.namespace,
            obj.name,
            field,
        )
    )
    return hashlib.sha256(key.encode()).hexdigest()[:32] + ":1"
