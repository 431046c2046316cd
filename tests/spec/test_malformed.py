"""The malformed-spec corpus: each file names the line and a fragment of the error it must raise."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chartgen.errors import SpecErrors
from chartgen.spec import load_specs
from tests.spec.conftest import MALFORMED, run_cli

CORPUS = sorted(MALFORMED.glob("*.yaml"))


def expectation(path: Path) -> tuple[int, str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# expect: (\d+): (.+)", first)
    assert match, f"{path.name}: first line must be `# expect: <line>: <fragment>`"
    return int(match.group(1)), match.group(2)


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 40


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_loader_reports_the_expected_line_and_message(path: Path) -> None:
    line, fragment = expectation(path)
    with pytest.raises(SpecErrors) as raised:
        load_specs([path])
    found = [str(p) for p in raised.value.problems]
    assert any(f"{path}:{line}:" in text and fragment in text for text in found), found


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_cli_exits_2_naming_the_line(path: Path) -> None:
    line, fragment = expectation(path)
    code, _, err = run_cli("build", "--check", str(path))
    assert code == 2
    assert "Traceback" not in err and "internal error" not in err
    assert f"{path}:{line}:" in err and fragment in err
