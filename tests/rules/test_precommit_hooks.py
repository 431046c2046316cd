"""The published hooks, run by the real pre-commit against a temporary consumer repository.

`pre-commit try-repo` installs chartgen from a commit of this repository (the hooks manifest is
committed). Slow: the first run builds pre-commit's virtualenv for chartgen.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.rules.doc_blocks import REPO, yaml_block
from tests.rules.test_bad_gpu_chart import CHART

pytestmark = [pytest.mark.slow]
GOOD_SPEC = REPO / "examples" / "vllm-llama-8b.yaml"


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)


@pytest.fixture()
def consumer(tmp_path: Path) -> Path:
    """A git repo with a good spec, its generated chart, and the bad third-party GPU chart."""
    repo = tmp_path / "consumer"
    (repo / "specs").mkdir(parents=True)
    shutil.copy(GOOD_SPEC, repo / "specs" / GOOD_SPEC.name)
    shutil.copytree(CHART, repo / "charts" / "bad-gpu")
    built = _run(
        [sys.executable, "-m", "chartgen", "build", "specs", "-o", "generated-charts"], repo
    )
    assert built.returncode == 0, built.stderr
    for command in (["git", "init", "-q"], ["git", "add", "-A"]):
        assert _run(command, repo).returncode == 0
    return repo


def _pre_commit(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # Hooks must run the chartgen that pre-commit installed from the repo, not a source tree
    # that a PYTHONPATH in the caller's environment would put first.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    command = [sys.executable, "-m", "pre_commit", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, env=env)


def _try_repo(hook: str, files: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return _pre_commit(["try-repo", str(REPO), hook, "--files", *files], cwd)


def test_lint_hook_passes_the_good_spec_and_chart(consumer: Path) -> None:
    chart_files = [
        p.relative_to(consumer).as_posix()
        for p in (consumer / "generated-charts").rglob("*")
        if p.is_file()
    ]
    done = _try_repo("chartgen-lint", ["specs/vllm-llama-8b.yaml", *chart_files], consumer)
    assert done.returncode == 0, done.stdout + done.stderr


def test_lint_hook_fails_the_bad_chart_and_names_the_rules(consumer: Path) -> None:
    done = _try_repo(
        "chartgen-lint",
        ["charts/bad-gpu/values.yaml", "charts/bad-gpu/templates/deployment.yaml"],
        consumer,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    for rule_id in ("gpu-parallelism-mismatch", "ml-secret-in-env", "floating-image-tag"):
        assert rule_id in done.stdout


def test_documented_config_runs_build_check(consumer: Path) -> None:
    config = yaml_block("pre-commit-config")
    head = _run(["git", "rev-parse", "HEAD"], REPO).stdout.strip()
    config["repos"][0].update({"repo": str(REPO), "rev": head})
    (consumer / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    assert _run(["git", "add", "-A"], consumer).returncode == 0
    clean = _pre_commit(["run", "chartgen-build-check", "--all-files"], consumer)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    values = next((consumer / "generated-charts").glob("*/values.yaml"))
    values.write_text(values.read_text() + "# edited by hand\n")
    stale = _pre_commit(["run", "chartgen-build-check", "--all-files"], consumer)
    assert stale.returncode == 1 and "stale" in stale.stdout + stale.stderr
