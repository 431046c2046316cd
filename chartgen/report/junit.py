"""JUnit XML for CI dashboards.

`<testsuites name="chartgen">`, one `<testsuite>` per linted input (chart values variant, manifest,
spec), one `<testcase>` per rule and object with a finding (`<failure>` with file:line and the fix;
suppressed: `<skipped>`), and one passing testcase per rule that found nothing in that input.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import PurePosixPath

from chartgen.findings import Finding, InputSummary, LintResult
from chartgen.report.context import ReportContext

OTHER_INPUT = InputSummary(name="(other)", kind="manifest")


def render(result: LintResult, context: ReportContext | None = None) -> str:
    context = context or ReportContext()
    inputs = list(result.inputs) or [OTHER_INPUT]
    groups = _group(result.findings, inputs)
    root = ET.Element("testsuites", name="chartgen")
    suites = [_suite(item, groups.get(id(item), []), result, context) for item in inputs]
    if groups.get(id(OTHER_INPUT)) and OTHER_INPUT not in inputs:
        suites.append(_suite(OTHER_INPUT, groups[id(OTHER_INPUT)], result, context))
    for suite in suites:
        root.append(suite)
    _total(root, suites, result.duration_seconds)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _group(findings: Sequence[Finding], inputs: Sequence[InputSummary]) -> dict[int, list[Finding]]:
    """Findings by the input whose path holds their file (the first variant of a chart)."""
    groups: dict[int, list[Finding]] = {}
    for finding in findings:
        owner = next(
            (item for item in inputs if _contains(item.name, finding.location.file)), OTHER_INPUT
        )
        groups.setdefault(id(owner), []).append(finding)
    return groups


def _contains(name: str, file: str) -> bool:
    # Spec inputs are named "specs/x.yaml (chart-name)": the path is the first word.
    base, target = PurePosixPath(name.split(" (", 1)[0]), PurePosixPath(file)
    return target == base or base in target.parents


def _suite(
    item: InputSummary, findings: list[Finding], result: LintResult, context: ReportContext
) -> ET.Element:
    name = f"{item.name}/{item.variant}" if item.variant else item.name
    suite = ET.Element("testsuite", name=name)
    for finding in findings:
        suite.append(_case(finding, context))
    found_rules = {f.rule_id for f in findings}
    for rule in result.rules.values():
        if rule.id not in found_rules:
            ET.SubElement(
                suite, "testcase", classname=item.name, name=f"{rule.id} {rule.summary}", time="0"
            )
    return suite


def _case(finding: Finding, context: ReportContext) -> ET.Element:
    obj = finding.obj
    classname = (
        "/".join(p for p in (obj.kind, obj.namespace, obj.name) if p) or finding.location.file
    )
    case = ET.Element(
        "testcase",
        classname=classname,
        name=f"{finding.rule_id} {finding.json_path}".strip(),
        time="0",
    )
    body = f"{finding.location}: {finding.message}\nfix: {finding.remediation}".rstrip()
    if finding.suppressed_by:
        ET.SubElement(case, "skipped", message=f"suppressed: {finding.suppressed_by}")
    elif finding.severity >= context.fail_on:
        failure = ET.SubElement(case, "failure", type=finding.rule_id, message=finding.message)
        failure.text = body
    else:  # below --fail-on: reported, but not a failed test
        ET.SubElement(case, "system-out").text = f"{finding.severity.label}: {body}"
    return case


def _total(root: ET.Element, suites: list[ET.Element], seconds: float) -> None:
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in suites:
        counts = {
            "tests": len(suite.findall("testcase")),
            "failures": len(suite.findall("testcase/failure")),
            "errors": 0,
            "skipped": len(suite.findall("testcase/skipped")),
        }
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("time", "0")
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", f"{seconds:.3f}")
