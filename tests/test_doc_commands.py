"""Docs name only commands that exist, and cite upstream sources, not notes outside the project."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chartgen.commands import _COMMANDS

REPO = Path(__file__).resolve().parents[1]
DOCS = sorted([REPO / "README.md", *(REPO / "docs").glob("*.md")])
COMMAND = re.compile(r"`chartgen ([a-z][a-z-]*)")
NOTES = re.compile(r"(?i)\b[a-z]+-anchors\b|/work/shared|shared/reference")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_command_a_doc_names_exists(doc: Path) -> None:
    named = set(COMMAND.findall(doc.read_text(encoding="utf-8")))
    assert sorted(named - set(_COMMANDS)) == []


def test_no_source_cites_notes_that_are_not_part_of_the_project() -> None:
    files = [
        p
        for folder in ("chartgen", "docs", "tools")
        for p in (REPO / folder).rglob("*")
        if p.suffix in (".py", ".yaml", ".md", ".sh") and p.is_file()
    ]
    cited = [f"{p.relative_to(REPO)}" for p in files if NOTES.search(p.read_text(encoding="utf-8"))]
    assert cited == []
