"""The engine: severities from the config, suppressions, excludes, locations, spec facts."""

from __future__ import annotations

from pathlib import Path

from chartgen.findings import Severity
from chartgen.manifests import parse_documents
from chartgen.rules import RuleContext, all_rules, run_rules
from chartgen.rules.support.config import LintConfig, RuleSetting
from tests.rules.fixture_files import FIXTURES, findings, lines_of, load

GPU_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: llm
  annotations:
    chartgen.dev/ignore: "gpu-toleration-missing, floating-image-tag"
    chartgen.dev/ignore-reason: "GKE adds the toleration; image pinned by the registry mirror"
spec:
  containers:
    - name: server
      image: vllm/vllm-openai:latest
      resources:
        limits: {nvidia.com/gpu: 1}
"""


def _run(text: str, context: RuleContext | None = None) -> dict[str, list[str]]:
    found = run_rules(list(parse_documents(text, "pod.yaml")), context or RuleContext())
    by_rule: dict[str, list[str]] = {}
    for finding in found:
        by_rule.setdefault(finding.rule_id, []).append(finding.suppressed_by)
    return by_rule


def test_at_least_35_rules_with_unique_ids_and_documentation() -> None:
    rules = all_rules()
    assert len(rules) >= 35
    assert len({rule.id for rule in rules}) == len(rules)
    for rule in rules:
        assert rule.summary and rule.description and rule.remediation and rule.references, rule.id


def test_annotation_suppresses_but_keeps_the_finding() -> None:
    by_rule = _run(GPU_POD)
    reason = "chartgen.dev/ignore: GKE adds the toleration; image pinned by the registry mirror"
    assert by_rule["gpu-toleration-missing"] == [reason]
    assert by_rule["floating-image-tag"] == [reason]
    assert by_rule["gpu-node-targeting-missing"] == [""]


def test_suppression_without_reason_is_not_applied_and_reported() -> None:
    text = GPU_POD.replace(
        '    chartgen.dev/ignore-reason: "GKE adds the toleration; image pinned by the registry mirror"\n',
        "",
    )
    by_rule = _run(text)
    assert by_rule["gpu-toleration-missing"] == [""]
    assert by_rule["invalid-suppression"] == [""]


def test_config_changes_severity_and_turns_rules_off() -> None:
    config = LintConfig(
        rules={
            "floating-image-tag": RuleSetting(severity=Severity.INFO),
            "gpu-node-targeting-missing": RuleSetting(enabled=False),
        }
    )
    found = run_rules(
        load(FIXTURES / "floating-image-tag" / "fail.yaml"), RuleContext(config=config)
    )
    assert {f.severity for f in found if f.rule_id == "floating-image-tag"} == {Severity.INFO}
    assert not [f for f in found if f.rule_id == "gpu-node-targeting-missing"]


def test_rule_options_come_from_the_config() -> None:
    path = FIXTURES / "floating-image-tag" / "pass.yaml"
    text = path.read_text().replace("v0.25.0", "stable-2024")
    strict = LintConfig(
        rules={"floating-image-tag": RuleSetting(options={"floating-tags": ["stable-2024"]})}
    )
    objects = list(parse_documents(text, "x.yaml"))
    assert [
        f.rule_id for f in run_rules(objects, RuleContext()) if f.rule_id == "floating-image-tag"
    ] == []
    found = run_rules(objects, RuleContext(config=strict))
    assert [f.location.line for f in found if f.rule_id == "floating-image-tag"] == [9]


def test_excluded_files_produce_no_findings(tmp_path: Path) -> None:
    config = LintConfig(exclude=("legacy/**",), root=tmp_path)
    objects = list(parse_documents(GPU_POD, str(tmp_path / "legacy" / "pod.yaml")))
    assert run_rules(objects, RuleContext(config=config)) == []
    assert run_rules(objects, RuleContext())


def test_spec_facts_replace_heuristics() -> None:
    path = FIXTURES / "gpu-toleration-missing" / "fail.yaml"
    assert lines_of(findings(path), "gpu-toleration-missing") == [6]
    assert lines_of(findings(path, RuleContext(platform="gke")), "gpu-toleration-missing") == []
    budget = FIXTURES / "liveness-without-startup-budget" / "pass.yaml"
    needs_more = RuleContext(startup_budget_seconds=1200)
    # the spec's budget is known for every serving container (the unrecognised ollama's too),
    # and the pre-loaded server's 400 s are short of it as well
    assert lines_of(findings(budget, needs_more), "liveness-without-startup-budget") == [12, 62, 86]


def test_findings_carry_object_pointer_fix_and_are_sorted() -> None:
    found = findings(FIXTURES / "gpu-parallelism-mismatch" / "fail.yaml")
    first = next(f for f in found if f.rule_id == "gpu-parallelism-mismatch")
    assert str(first.obj) == "Deployment/vllm"
    assert first.json_path == "/spec/template/spec/containers/0/args/3"
    assert first.location.file == "fail.yaml"
    assert "tensor-parallel-size" in first.remediation
    assert found == sorted(found, key=lambda f: f.sort_key())
