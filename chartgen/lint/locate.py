"""Where a finding points: the manifest line, or the chart template line the field came from.

Helm keeps no source map, so for charts the JSON pointer is followed through the template text
heuristically: each key of the pointer is searched, in order, below its parent's line and
deeper than its parent's indentation; list indexes count the parent's `- ` items. Keys the
template does not spell out (e.g. from `toYaml .Values...`) stop the walk at the nearest
ancestor, which is the line holding the include.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from chartgen.errors import Location
from chartgen.manifests import ManifestObject

_SEPARATOR_RE = re.compile(r"^---[ \t]*(#.*)?$")
_ITEM_RE = re.compile(r"^(\s*)-(\s|$)")


class Locator(Protocol):
    def locate(self, pointer: str, rendered_line: int = 0) -> tuple[Location, Location | None]:
        """(where the user fixes it, where it is in the rendered output or None)."""
        ...


@dataclass(frozen=True)
class ManifestLocator:
    obj: ManifestObject

    def locate(self, pointer: str, rendered_line: int = 0) -> tuple[Location, Location | None]:
        return Location(self.obj.file, rendered_line or self.obj.line_of(pointer)), None


@dataclass(frozen=True)
class TemplateLocator:
    obj: ManifestObject
    template: TemplateText | None
    doc_index: int
    rendered_file: str  # the `# Source:` path, e.g. demo/templates/deployment.yaml

    def locate(self, pointer: str, rendered_line: int = 0) -> tuple[Location, Location | None]:
        rendered = Location(self.rendered_file, rendered_line or self.obj.line_of(pointer))
        if self.template is None:
            return Location(self.obj.file, rendered.line), rendered
        return Location(self.obj.file, self.template.line_for(pointer, self.doc_index)), rendered


@dataclass(frozen=True)
class SpecLocator:
    """Objects of a chart generated from a spec: findings point at the spec file."""

    inner: Locator
    spec_file: str

    def locate(self, pointer: str, rendered_line: int = 0) -> tuple[Location, Location | None]:
        _, rendered = self.inner.locate(pointer, rendered_line)
        return Location(self.spec_file), rendered


class TemplateText:
    """A template's text, searched for the line that produced a rendered field."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        separators = [i + 1 for i, line in enumerate(self.lines) if _SEPARATOR_RE.match(line)]
        self.doc_starts = [0, *separators]

    def line_for(self, pointer: str, doc_index: int) -> int:
        """1-based template line of `pointer` in the `doc_index`-th document of this template."""
        start, end = self._document_bounds(doc_index)
        found, column, search_from = self._first_content(start, end), -1, start
        for token in _tokens(pointer):
            hit = (
                self._nth_item(int(token), search_from, end, column)
                if token.isdigit()
                else self._find_key(token, search_from, end, column)
            )
            if hit is None:
                break
            found, column = hit
            search_from = found if token.isdigit() else found + 1
        return found + 1

    def line_of_text(self, text: str, doc_index: int) -> int:
        """1-based line of the first template line holding `text` (rendered YAML errors)."""
        start, end = self._document_bounds(doc_index)
        needle = text.strip()
        for index in range(start, end):
            if needle and needle in self.lines[index]:
                return index + 1
        return self._first_content(start, end) + 1

    def _document_bounds(self, doc_index: int) -> tuple[int, int]:
        position = min(doc_index, len(self.doc_starts) - 1)
        start = self.doc_starts[position]
        end = (
            self.doc_starts[position + 1] - 1
            if position + 1 < len(self.doc_starts)
            else len(self.lines)
        )
        return start, end

    def _first_content(self, start: int, end: int) -> int:
        for index in range(start, end):
            if _is_yaml_line(self.lines[index]):
                return index
        return start

    def _find_key(
        self, key: str, start: int, end: int, parent_column: int
    ) -> tuple[int, int] | None:
        pattern = re.compile(r"^(\s*(?:-\s+)*)([\"']?)" + re.escape(key) + r"\2\s*:(\s|$)")
        for index in range(start, end):
            line = self.lines[index]
            match = pattern.match(line)
            if match and len(match.group(1)) > parent_column:
                return index, len(match.group(1))
            if _leaves_block(line, parent_column):
                return None
        return None

    def _nth_item(
        self, wanted: int, start: int, end: int, parent_column: int
    ) -> tuple[int, int] | None:
        seen: tuple[int, int] | None = None
        count, item_column = 0, -1
        for index in range(start, end):
            line = self.lines[index]
            match = _ITEM_RE.match(line)
            column = len(match.group(1)) if match else -1
            if match and column >= parent_column and item_column in (-1, column):
                item_column, seen, count = column, (index, column), count + 1
                if count > wanted:
                    return seen
            elif index > start and _leaves_block(line, parent_column):
                break
        return seen


def _tokens(pointer: str) -> list[str]:
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


def _is_yaml_line(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith(("#", "{{"))


def _leaves_block(line: str, parent_column: int) -> bool:
    """A YAML line at or left of the parent's column ends the parent's block (items excepted)."""
    if parent_column < 0 or not _is_yaml_line(line):
        return False
    indent = len(line) - len(line.lstrip())
    return indent < parent_column or (indent == parent_column and not _ITEM_RE.match(line))
