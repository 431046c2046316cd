"""`chartgen lint --platform NAME[/POOL]`: which GPU nodes node-label rules judge against."""

from __future__ import annotations

from pathlib import Path

from tests.lint.conftest import Cli

FROZEN = Path(__file__).resolve().parents[1] / "rules" / "frozen-2471155"
RULE = "node-label-not-on-platform"


def test_the_chart_annotation_names_the_platform_and_the_default_variant_judges(cli: Cli) -> None:
    run = cli("lint", "--format", "json", FROZEN / "qwen-sglang")
    (found,) = run.results(RULE)
    assert "eks managed-node-group" in found["message"]


def test_the_variant_given_on_the_command_line_wins(cli: Cli) -> None:
    assert (
        cli(
            "lint", "--format", "json", "--platform", "eks/karpenter", FROZEN / "qwen-sglang"
        ).results(RULE)
        == []
    )
    (found,) = cli(
        "lint", "--format", "json", "--platform", "eks/auto-mode", FROZEN / "qwen-sglang"
    ).results(RULE)
    assert "eks auto-mode" in found["message"]


def test_unknown_platform_or_variant_is_bad_input(cli: Cli) -> None:
    for target in ("nope", "eks/nope"):
        run = cli("lint", "--platform", target, FROZEN / "qwen-sglang")
        assert run.code == 2 and "known" in run.err, run.err
