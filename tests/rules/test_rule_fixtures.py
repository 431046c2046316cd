"""Every rule against its own failing and passing manifests, asserting exact ids and lines."""

from __future__ import annotations

import pytest

from chartgen.rules import all_rules
from tests.rules.fixture_files import FIXTURES, expected_lines, findings, lines_of

RULE_IDS = [rule.id for rule in all_rules()]


def test_every_rule_has_a_failing_and_a_passing_fixture() -> None:
    missing = [
        f"{rule_id}/{name}.yaml"
        for rule_id in RULE_IDS
        for name in ("fail", "pass")
        if not (FIXTURES / rule_id / f"{name}.yaml").is_file()
    ]
    assert missing == []


def test_fixture_directories_name_existing_rules() -> None:
    directories = {p.name for p in FIXTURES.iterdir() if p.is_dir()} - {"clean"}
    assert sorted(directories - set(RULE_IDS)) == []


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_failing_fixture_reports_the_marked_lines(rule_id: str) -> None:
    path = FIXTURES / rule_id / "fail.yaml"
    wanted = expected_lines(path, rule_id)
    assert wanted, f"{path} marks no line with `# expect: {rule_id}`"
    assert lines_of(findings(path), rule_id) == wanted


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_passing_fixture_has_no_finding_of_the_rule(rule_id: str) -> None:
    found = [f for f in findings(FIXTURES / rule_id / "pass.yaml") if f.rule_id == rule_id]
    assert [(f.location.line, f.message) for f in found] == []


@pytest.mark.parametrize("path", sorted((FIXTURES / "clean").glob("*.yaml")), ids=lambda p: p.name)
def test_well_built_releases_have_no_findings_at_all(path: object) -> None:
    from pathlib import Path

    assert isinstance(path, Path)
    assert [(f.rule_id, f.location.line, f.message) for f in findings(path)] == []
