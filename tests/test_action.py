"""action.yml (the composite GitHub Action): its `run:` steps run here as the runner runs them.

Each step gets the inputs' defaults for `${{ inputs.* }}`, the runner's variables
(GITHUB_ACTION_PATH = this checkout, RUNNER_TEMP, GITHUB_PATH, GITHUB_WORKSPACE as cwd) and
`bash --noprofile --norc -eo pipefail`, the runner's bash; a step's `if:` is honoured after a
failed step. Only the `uses:` upload step is not run: its name and inputs are checked instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from chartgen.api import build

REPO = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
EXPRESSION = re.compile(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}")
UPLOAD = "github/codeql-action/upload-sarif@v3"


def _defaults() -> dict[str, str]:
    return {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}


def _expand(text: str, inputs: dict[str, str]) -> str:
    return EXPRESSION.sub(lambda m: inputs[m.group(1)], text)


def _runs_after_failure(step: dict[str, Any]) -> bool:
    condition = str(step.get("if", ""))
    return "!cancelled()" in condition or "always()" in condition


def run_action(workspace: Path, runner: Path) -> list[tuple[str, int, str]]:
    """(step name, exit code, output) of each `run:` step; a skipped step has exit code None."""
    inputs = _defaults()
    github_path = runner / "github_path"
    github_path.touch()
    path = os.environ["PATH"]
    results: list[tuple[str, int, str]] = []
    failed = False
    for step in ACTION["runs"]["steps"]:
        if "uses" in step or (failed and not _runs_after_failure(step)):
            continue
        assert step["shell"] == "bash"
        env = {
            **os.environ,
            **{k: _expand(str(v), inputs) for k, v in step.get("env", {}).items()},
            "GITHUB_ACTION_PATH": str(REPO),
            "GITHUB_WORKSPACE": str(workspace),
            "RUNNER_TEMP": str(runner),
            "GITHUB_PATH": str(github_path),
            "PATH": os.pathsep.join([*github_path.read_text().split(), path]),
            "PIP_NO_INPUT": "1",
        }
        env.pop("PYTHONPATH", None)  # the action's own install, not this checkout's import path
        done = subprocess.run(
            [
                "bash",
                "--noprofile",
                "--norc",
                "-eo",
                "pipefail",
                "-c",
                _expand(step["run"], inputs),
            ],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        results.append((step["name"], done.returncode, done.stdout + done.stderr))
        failed = failed or done.returncode != 0
    return results


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("runner")


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    """A repository laid out as the inputs' defaults expect: specs/ and generated-charts/."""
    shutil.copytree(REPO / "examples", tmp_path / "specs")
    build([tmp_path / "specs"], tmp_path / "generated-charts")
    return tmp_path


def test_action_is_composite_with_defaults_for_every_input() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert all("default" in spec for spec in ACTION["inputs"].values())
    names = [step["name"] for step in ACTION["runs"]["steps"]]
    assert names == [
        "Install chartgen",
        "Generated charts are up to date",
        "Lint specs and charts",
        "Upload the findings to code scanning",
    ]


def test_the_only_uses_step_uploads_the_sarif_report() -> None:
    uses = [step for step in ACTION["runs"]["steps"] if "uses" in step]
    assert len(uses) == 1
    upload = uses[0]
    assert upload["name"] == "Upload the findings to code scanning"
    assert upload["uses"] == UPLOAD
    assert upload["with"] == {"sarif_file": "${{ inputs.sarif }}", "category": "chartgen"}
    assert "!cancelled()" in upload["if"] and "inputs.upload-sarif == 'true'" in upload["if"]


def test_no_input_is_spliced_into_a_script() -> None:
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step["name"]


@pytest.mark.slow
def test_steps_pass_on_a_current_repository_and_write_sarif(workspace: Path, runner: Path) -> None:
    results = run_action(workspace, runner)
    assert [(name, code) for name, code, _ in results] == [
        ("Install chartgen", 0),
        ("Generated charts are up to date", 0),
        ("Lint specs and charts", 0),
    ], results
    report = json.loads((workspace / _defaults()["sarif"]).read_text(encoding="utf-8"))
    assert (
        report["version"] == "2.1.0" and report["runs"][0]["tool"]["driver"]["name"] == "chartgen"
    )
    installed = (runner / "chartgen-venv" / "bin" / "chartgen").resolve()
    assert installed.is_file()


@pytest.mark.slow
def test_a_stale_chart_fails_and_lint_still_reports(workspace: Path, runner: Path) -> None:
    spec = workspace / "specs" / "vllm-llama-8b.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("8192", "4096"), encoding="utf-8")
    results = {name: (code, output) for name, code, output in run_action(workspace, runner)}
    code, output = results["Generated charts are up to date"]
    assert code == 1 and "llama-8b: stale" in output
    assert results["Lint specs and charts"][0] == 0
