"""Bash completion through click's protocol (README: `eval "$(_CHARTGEN_COMPLETE=bash_source chartgen)"`),
run in a real bash: the script is sourced and its function called with COMP_WORDS/COMP_CWORD."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bin_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`chartgen` on PATH as this interpreter's `python -m chartgen` (the console script's code)."""
    directory = tmp_path_factory.mktemp("bin")
    wrapper = directory / "chartgen"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m chartgen "$@"\n')
    wrapper.chmod(0o755)
    return directory


def complete(bin_dir: Path, *words: str) -> list[str]:
    """What bash offers after `chartgen WORDS` (the last word is the one being completed)."""
    bash = shutil.which("bash")
    assert bash, "bash is needed"
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(REPO),
    }
    script = subprocess.run(
        ["chartgen"], env={**env, "_CHARTGEN_COMPLETE": "bash_source"},
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "complete -o nosort -F _chartgen_completion chartgen" in script
    quoted = " ".join(f"'{w}'" for w in ("chartgen", *words))
    probe = (
        f"{script}\n"
        "complete -p chartgen >/dev/null || exit 3\n"
        f"COMP_WORDS=({quoted}); COMP_CWORD={len(words)}\n"
        "_chartgen_completion chartgen 2>/dev/null\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(
        [bash, "--noprofile", "--norc", "-c", probe],
        env=env, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return [line for line in done.stdout.splitlines() if line]


def test_subcommand_completes(bin_dir: Path) -> None:
    assert complete(bin_dir, "bu") == ["build"]


def test_every_subcommand_is_offered(bin_dir: Path) -> None:
    offered = complete(bin_dir, "")
    assert {"build", "lint", "init", "template", "schema"} <= set(offered)


def test_options_complete(bin_dir: Path) -> None:
    offered = complete(bin_dir, "build", "--")
    assert {"--check", "--diff", "--output"} <= set(offered), offered
    assert complete(bin_dir, "lint", "--fail-o") == ["--fail-on"]


def test_choice_values_complete(bin_dir: Path) -> None:
    assert "sarif" in complete(bin_dir, "lint", "--format", "")
