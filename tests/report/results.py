"""Real LintResults for reporter tests: the rules run over the rule fixtures."""

from __future__ import annotations

from pathlib import Path

from chartgen.findings import InputSummary, LintResult
from chartgen.manifests import parse_documents
from chartgen.rules import RuleContext, all_rules, run_rules

FIXTURES = Path(__file__).resolve().parent.parent / "rules" / "fixtures"


def lint_fixture(*names: str) -> LintResult:
    """Rules over `<rule>/fail.yaml` files, each one an input named by its repository path."""
    result = LintResult(rules={rule.id: rule for rule in all_rules()})
    for name in names:
        path = FIXTURES / name / "fail.yaml"
        shown = (
            path.relative_to(Path.cwd()).as_posix()
            if path.is_relative_to(Path.cwd())
            else str(path)
        )
        objects = list(parse_documents(path.read_text(encoding="utf-8"), shown))
        result.findings += run_rules(objects, RuleContext())
        result.inputs.append(InputSummary(name=shown, kind="manifest", objects=len(objects)))
    return result


def clean_result() -> LintResult:
    return LintResult(
        rules={rule.id: rule for rule in all_rules()},
        inputs=[
            InputSummary(name="charts/llm", kind="chart", variant="ci/gpu-values.yaml", objects=9)
        ],
    )
