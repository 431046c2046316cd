"""JUnit XML: parsed with ElementTree, every required attribute checked, counts consistent."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from chartgen.findings import LintResult, Severity
from chartgen.manifests import parse_documents
from chartgen.report import junit
from chartgen.report.context import ReportContext
from chartgen.rules import RuleContext, all_rules, run_rules
from tests.report.results import FIXTURES, clean_result, lint_fixture


def _parse(result: LintResult, context: ReportContext | None = None) -> ET.Element:
    return ET.fromstring(junit.render(result, context))


def test_structure_and_required_attributes() -> None:
    root = _parse(lint_fixture("floating-image-tag", "duplicate-env-var"))
    assert root.tag == "testsuites" and root.get("name") == "chartgen"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [
        "tests/rules/fixtures/floating-image-tag/fail.yaml",
        "tests/rules/fixtures/duplicate-env-var/fail.yaml",
    ]
    for suite in suites:
        for attribute in ("name", "tests", "failures", "errors", "skipped", "time"):
            assert suite.get(attribute) is not None, attribute
        for case in suite.findall("testcase"):
            assert case.get("classname") and case.get("name") and case.get("time") is not None
    totals = {
        key: sum(int(s.get(key) or 0) for s in suites) for key in ("tests", "failures", "skipped")
    }
    assert totals == {key: int(root.get(key) or 0) for key in totals}


def test_failures_carry_rule_file_line_and_fix() -> None:
    root = _parse(lint_fixture("floating-image-tag"))
    failures = root.findall(".//testcase/failure")
    image = next(f for f in failures if "busybox" in (f.get("message") or ""))
    assert image.get("type") == "floating-image-tag"
    assert (image.text or "").startswith("tests/rules/fixtures/floating-image-tag/fail.yaml:9: ")
    assert "fix: Pin a release tag" in (image.text or "")
    case = root.find(".//testcase[failure]")
    assert case is not None and case.get("classname") == "Deployment/llm"


def test_rules_without_findings_are_passing_testcases() -> None:
    root = _parse(clean_result())
    suite = root.find("testsuite")
    assert suite is not None and suite.get("name") == "charts/llm/ci/gpu-values.yaml"
    assert int(suite.get("tests") or 0) == len(all_rules()) and suite.get("failures") == "0"


def test_suppressed_findings_are_skipped_and_below_fail_on_are_not_failures() -> None:
    path = FIXTURES / "pdb-allows-no-disruption" / "pass.yaml"
    found = run_rules(list(parse_documents(path.read_text(), "pass.yaml")), RuleContext())
    root = _parse(LintResult(findings=found), ReportContext(fail_on=Severity.ERROR))
    skipped = root.findall(".//testcase/skipped")
    assert [s.get("message", "").split(":")[0] for s in skipped] == ["suppressed"]
    warnings = [f for f in found if f.severity == Severity.WARNING and not f.suppressed_by]
    assert warnings and root.get("failures") == str(
        sum(1 for f in found if f.severity >= Severity.ERROR and not f.suppressed_by)
    )
