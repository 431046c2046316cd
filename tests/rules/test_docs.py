"""`chartgen rules`, `chartgen explain` and docs/rules.md, generated from the rule modules."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from chartgen.commands import _COMMANDS
from chartgen.commands.rules_cmd import explain_command, rules_command
from chartgen.errors import UserError
from chartgen.rules import all_rules
from tests.rules.doc_blocks import REPO


def test_docs_rules_md_is_in_sync_with_the_rule_modules() -> None:
    generated = CliRunner().invoke(rules_command, ["--format", "markdown"])
    assert generated.exit_code == 0
    on_disk = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert on_disk == generated.output, (
        "regenerate: chartgen rules --format markdown > docs/rules.md"
    )


def test_rules_lists_every_rule_with_severity_and_summary() -> None:
    output = CliRunner().invoke(rules_command, []).output.splitlines()
    assert len(output) == len(all_rules())
    first = all_rules()[0]
    assert output[0].split(None, 2) == [first.id, first.severity.label, first.summary]


def test_explain_prints_rationale_references_fix_and_example() -> None:
    output = CliRunner().invoke(explain_command, ["multi-gpu-without-shm"]).output
    assert output.startswith("multi-gpu-without-shm (error)\n")
    for heading in ("Why:", "Fix:", "Example:", "References:"):
        assert f"\n{heading}\n" in output
    assert "NVIDIA/nccl#525" in output and "medium: Memory" in output


def test_explain_shows_options_and_their_defaults() -> None:
    output = CliRunner().invoke(explain_command, ["liveness-without-startup-budget"]).output
    assert "  min-startup-seconds: 300" in output


def test_explain_unknown_rule_suggests_the_closest() -> None:
    result = CliRunner().invoke(explain_command, ["floating-image-tags"], standalone_mode=False)
    assert isinstance(result.exception, UserError)
    assert str(result.exception) == (
        "unknown rule 'floating-image-tags' (did you mean 'floating-image-tag'?); `chartgen rules` lists them"
    )


@pytest.mark.skipif(
    "explain" not in _COMMANDS, reason="waits for the lead to register rules/explain in _COMMANDS"
)
def test_explain_unknown_rule_exits_2_through_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "chartgen", "explain", "gpu-paralelism-mismatch"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "did you mean 'gpu-parallelism-mismatch'?" in done.stderr
