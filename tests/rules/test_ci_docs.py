"""docs/ci.md: the workflow, pre-commit config and .chartgen.yaml it shows are real and valid."""

from __future__ import annotations

import shlex
from pathlib import Path

import click
import yaml

from chartgen.commands.build_cmd import build
from chartgen.commands.lint_cmd import lint
from chartgen.rules.support.config import load_config
from tests.rules.doc_blocks import REPO, block, yaml_block

COMMANDS: dict[str, click.Command] = {"build": build, "lint": lint}
NEW_FORMATS = {"sarif", "junit", "github"}  # added by this issue; REPORTERS registration pending


def _options(command: click.Command) -> set[str]:
    return {name for param in command.params for name in param.opts if name.startswith("-")}


def _chartgen_runs() -> list[list[str]]:
    steps = yaml_block("ci-workflow")["jobs"]["chartgen"]["steps"]
    return [
        shlex.split(step["run"]) for step in steps if step.get("run", "").startswith("chartgen ")
    ]


def test_workflow_runs_build_check_and_lint_with_real_options() -> None:
    runs = _chartgen_runs()
    assert [words[1] for words in runs] == ["build", "lint"]
    for words in runs:
        known = _options(COMMANDS[words[1]])
        used = [w for w in words[2:] if w.startswith("-") and w != "-"]
        assert set(used) <= known, words
    assert "--check" in runs[0]


def test_lint_formats_exist_and_the_sarif_output_is_uploaded() -> None:
    lint_words = _chartgen_runs()[1]
    formats = [lint_words[i + 1] for i, w in enumerate(lint_words) if w == "--format"]
    outputs = [lint_words[i + 1] for i, w in enumerate(lint_words) if w == "--output"]
    choices = set(next(p for p in lint.params if p.name == "formats").type.choices)  # type: ignore[attr-defined]
    assert set(formats) <= choices | NEW_FORMATS
    sarif_file = dict(zip(formats, outputs, strict=True))["sarif"]
    workflow = yaml_block("ci-workflow")
    upload = next(
        s for s in workflow["jobs"]["chartgen"]["steps"] if "upload-sarif" in s.get("uses", "")
    )
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == sarif_file and upload["if"] == "always()"
    assert workflow["jobs"]["chartgen"]["permissions"]["security-events"] == "write"


def test_precommit_config_uses_hooks_this_repo_publishes() -> None:
    from pre_commit.clientlib import load_manifest

    published = {hook["id"]: hook for hook in load_manifest(str(REPO / ".pre-commit-hooks.yaml"))}
    config = yaml_block("pre-commit-config")
    hooks = config["repos"][0]["hooks"]
    assert (
        {hook["id"] for hook in hooks}
        == set(published)
        == {"chartgen-lint", "chartgen-build-check"}
    )
    assert published["chartgen-lint"]["require_serial"] is True
    assert published["chartgen-build-check"]["pass_filenames"] is False


def test_hook_entries_are_real_commands() -> None:
    manifest = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    for hook in manifest:
        words = shlex.split(hook["entry"])
        assert words[0] == "chartgen"
        command = COMMANDS[words[1]]
        pending = {"--pre-commit"} - _options(lint)  # the lead wires it into `chartgen lint`
        unknown = {w for w in words[2:] if w.startswith("-")} - _options(command) - pending
        assert unknown == set(), hook["id"]


def test_config_example_loads_with_the_real_loader(tmp_path: Path) -> None:
    path = tmp_path / ".chartgen.yaml"
    path.write_text(block("chartgen-config"))
    config = load_config(path)
    assert config.exclude == ("charts/legacy/**",)
    assert config.options("liveness-without-startup-budget", {"min-startup-seconds": 300}) == {
        "min-startup-seconds": 600
    }
