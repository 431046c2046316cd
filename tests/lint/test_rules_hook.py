"""The rule stage of lint: chartgen.rules.run_rules(objects, context) per lint unit."""

from __future__ import annotations

import pytest

import chartgen.lint.rule_stage
from chartgen.errors import Location
from chartgen.findings import Finding, Severity
from chartgen.manifests import ManifestObject
from tests.lint.conftest import FIXTURES, Cli


def _image_rule(
    objects: list[ManifestObject], context: object, memo: object = None
) -> list[Finding]:
    """A real rule: flag the first container's image, at its rendered line."""
    pointer = "/spec/template/spec/containers/0/image"
    return [
        Finding(
            "example-image",
            Severity.WARNING,
            f"image checked ({type(context).__name__})",
            Location(obj.file, obj.line_of(pointer)),
            obj.ref,
            pointer,
        )
        for obj in objects
        if obj.kind == "Deployment"
    ]


def test_rules_run_per_unit_and_move_to_the_template_line(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chartgen.lint.rule_stage, "run_rules", _image_rule)
    chart = FIXTURES / "charts" / "model-server"
    run = cli("lint", "--format", "json", chart)
    (result,) = run.results("example-image")  # both variants: merged into one
    assert result["location"] == {
        "file": f"{chart}/templates/deployment.yaml",
        "line": 19,
        "column": 0,
    }
    assert result["rendered"]["file"] == "model-server/templates/deployment.yaml"
    assert cli("lint", "--schema-only", "--format", "json", chart).results() == []


def test_real_rules_run_and_point_at_template_lines(cli: Cli) -> None:
    chart = FIXTURES / "charts" / "model-server"
    run = cli("lint", "--format", "json", chart)
    rules = [r for r in run.results() if not r["ruleId"].startswith(("schema-", "api-"))]
    assert rules, "the fixture chart has no probes, limits etc.: rules should report"
    for result in rules:
        if result["resource"]["kind"] and result["jsonPointer"]:
            assert result["location"]["file"].startswith(f"{chart}/templates/")
            assert result["rendered"]["file"].startswith("model-server/templates/")
    assert any(info for info in run.json()["results"])
