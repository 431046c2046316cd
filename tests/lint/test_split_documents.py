"""Splitting Helm's output into documents: the line-by-line shortcuts give the verdicts of the
definitions that split every line first (hypothesis over texts of separators, comments,
`# Source:` headers and content)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from chartgen.helm import engine
from chartgen.helm.engine import split_documents

_SOURCE_RE = re.compile(r"^# Source: (.+)$", re.MULTILINE)
_DOC_SPLIT_RE = re.compile(r"^---[ \t]*$", re.MULTILINE)


def chunks_by_regex(text: str) -> list[tuple[str, int]]:
    chunks, start = [], 1
    for chunk in _DOC_SPLIT_RE.split(text):
        chunks.append((chunk, start))
        start += chunk.count("\n")
    return chunks


def first_body_line_every_line(chunk: str) -> int:
    for index, line in enumerate(chunk.split("\n")):
        if line.strip() and not _SOURCE_RE.match(line):
            return index
    return 0


def has_content_every_line(chunk: str) -> bool:
    return any(ln.strip() and not ln.lstrip().startswith("#") for ln in chunk.splitlines())


pieces = st.sampled_from(
    ["\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", " ", "\t", "#", "# c",
     "# Source: t/x.yaml", "a: 1", "---", "----", "--- ", "---\t", "--", "- b", "  k: v"]
)  # fmt: skip
texts = st.lists(pieces, max_size=25).map("".join)


@settings(max_examples=2000, deadline=None)
@given(texts)
def test_the_shortcuts_agree_with_splitting_every_line(chunk: str) -> None:
    assert engine._has_content(chunk) == has_content_every_line(chunk)
    assert engine._first_body_line(chunk) == first_body_line_every_line(chunk)
    assert engine._chunks(chunk) == chunks_by_regex(chunk)


def test_documents_keep_their_lines() -> None:
    text = "# Source: c/templates/a.yaml\n\na: 1\n---\n# only a comment\n---\n\nb: 2\nc: 3\n"
    docs = split_documents("c/templates/a.yaml", text)
    assert [(d.text, d.line) for d in docs] == [
        ("# Source: c/templates/a.yaml\n\na: 1\n", 3),
        ("b: 2\nc: 3\n", 8),
    ]
