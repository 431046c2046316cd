"""The command line itself: help, version, exit codes."""

from __future__ import annotations

import subprocess
import sys

import pytest

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


def test_missing_tool_is_exit_3_with_one_line() -> None:
    done = run(
        "template", "examples/vllm-llama-8b.yaml", "--engine", "cli", "--helm", "/nonexistent/helm"
    )
    assert done.returncode == 3
    assert (
        done.stderr.startswith("error: helm binary not found")
        and len(done.stderr.splitlines()) == 1
    )


def test_debug_shows_the_traceback() -> None:
    done = run("--debug", "build", "no-such-file.yaml")
    assert done.returncode != 0 and "Traceback" in done.stderr


def test_unexpected_exception_is_exit_3_please_report(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import chartgen.chart.build as build_module
    from chartgen.cli import main

    def broken(*_: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(build_module, "generate", broken)
    with pytest.raises(SystemExit) as stop:
        main(["build", "--check", "examples"])
    assert stop.value.code == 3
    err = capsys.readouterr().err
    assert (
        "internal error: ZeroDivisionError: boom (please report" in err and "Traceback" not in err
    )
