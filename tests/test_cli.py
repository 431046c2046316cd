"""The command line itself: help, version, exit codes."""

from __future__ import annotations

import subprocess
import sys

from chartgen import __version__


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chartgen", *args], capture_output=True, text=True, check=False
    )


def test_version() -> None:
    done = run("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"chartgen {__version__}"


def test_help_lists_the_commands() -> None:
    done = run("--help")
    assert done.returncode == 0
    for command in ("build", "template", "lint", "init", "schema", "rules", "explain"):
        assert f"  {command}" in done.stdout, command


def test_unknown_command_is_a_usage_error() -> None:
    done = run("frobnicate")
    assert done.returncode == 2 and "No such command" in done.stderr


def test_bad_option_is_a_usage_error() -> None:
    done = run("build", "--no-such-option", "x.yaml")
    assert done.returncode == 2 and "Traceback" not in done.stderr
