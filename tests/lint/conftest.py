"""Lint tests run the real `chartgen lint` command in-process; kubeconform exports go to a temp cache."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from chartgen.cli import main
from chartgen.commands import _COMMANDS

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = Path(__file__).resolve().parents[1] / "validate" / "corpus"


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> dict[str, Any]:
        document: dict[str, Any] = json.loads(self.out)
        return document

    def results(self, rule_id: str | None = None) -> list[dict[str, Any]]:
        return [r for r in self.json()["results"] if rule_id in (None, r["ruleId"])]


@pytest.fixture(scope="session")
def schema_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("chartgen-cache")


@pytest.fixture(autouse=True)
def lint_command(monkeypatch: pytest.MonkeyPatch, schema_cache: Path) -> Iterator[None]:
    """`lint` is registered by the lead in _COMMANDS; make sure it is, without depending on it."""
    monkeypatch.setitem(_COMMANDS, "lint", ("chartgen.commands.lint_cmd", "lint"))
    monkeypatch.setenv("CHARTGEN_CACHE_DIR", str(schema_cache))
    yield


Cli = Callable[..., Run]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    def run(*args: str, stdin: str | None = None) -> Run:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        with pytest.raises(SystemExit) as exited:
            main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(int(exited.value.code or 0), captured.out, captured.err)

    return run


def fresh_interpreter(probe: str) -> list[str]:
    """What `probe` prints, run in a new interpreter (what a start-up imports is per process)."""
    import subprocess

    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return done.stdout.splitlines()
