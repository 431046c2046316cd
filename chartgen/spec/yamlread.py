"""Safe YAML reading for specs: bounded, YAML 1.2, plain JSON values and the position of every node.

Limits (documented in docs/spec.md): files up to MAX_FILE_BYTES, documents expanding to at most
MAX_NODES nodes after aliases are followed (an "alias bomb" stops there), nesting up to MAX_DEPTH.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, StreamMark, YAMLError
from ruamel.yaml.events import (
    MappingEndEvent,
    MappingStartEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from chartgen.errors import Location, SpecErrors
from chartgen.findings import Finding, spec_problem
from chartgen.limits import SPEC_BUDGET, shallow
from chartgen.spec.positions import PositionMap, child_path
from chartgen.spec.scalars import SCALAR_READERS

# The spec budget lives with every other reader's in chartgen/limits.py.
MAX_FILE_BYTES = SPEC_BUDGET.max_bytes
MAX_NODES = SPEC_BUDGET.max_nodes
MAX_DEPTH = SPEC_BUDGET.max_depth

_TAG = "tag:yaml.org,2002:"
_MERGE = _TAG + "merge"
_PLAIN_TAGS = {_TAG + "map", _TAG + "seq"}


@dataclass(frozen=True)
class RawDocument:
    """One YAML document of a file, as plain JSON data with positions."""

    index: int
    data: Any
    positions: PositionMap


class _Stop(Exception):
    """Abandons a document; the problem is already recorded."""


def read_file(path: Path) -> tuple[list[RawDocument], list[Finding]]:
    """Every document of the file, and every problem that made a document unusable."""
    file = str(path)
    try:
        text = decode(path)
    except SpecErrors as unreadable:
        return [], unreadable.problems
    return parse_documents(text, file)


def decode(path: Path) -> str:
    """The file's text; SpecErrors when it is missing, too large, not UTF-8 or empty."""
    file = str(path)
    try:
        # O_NONBLOCK: a FIFO must be refused, not waited on; only regular files are specs
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(descriptor, "rb") as stream:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                raise _unreadable("not a regular file; a spec is a file", Location(file))
            raw = stream.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise _unreadable("file not found", Location(file)) from None
    except OSError as exc:
        raise _unreadable(f"cannot read file: {exc.strerror or exc}", Location(file)) from None
    if len(raw) > MAX_FILE_BYTES:
        message = f"file is larger than {MAX_FILE_BYTES} bytes (1 MiB); a spec is a short file"
        raise _unreadable(message, Location(file))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"invalid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        raise _unreadable(message, Location(file, line, column)) from None
    return text


def _unreadable(message: str, where: Location) -> SpecErrors:
    return SpecErrors([spec_problem(message, where, "")])


def parse_documents(text: str, file: str) -> tuple[list[RawDocument], list[Finding]]:
    too_deep = _first_too_deep(text)
    if too_deep is not None:
        where = Location(file, too_deep.line + 1, too_deep.column + 1)
        return [], [spec_problem(f"nested deeper than {MAX_DEPTH} levels", where, "")]
    documents: list[RawDocument] = []
    problems: list[Finding] = []
    yaml = YAML(typ="rt", pure=True)  # round-trip composer: YAML 1.2, `on`/`yes` stay strings
    try:
        for index, node in enumerate(yaml.compose_all(text)):
            if _is_empty(node):
                continue
            converter = _Converter(file)
            data = converter.document(node, index)
            problems.extend(converter.problems)
            if not converter.problems:
                documents.append(RawDocument(index, data, PositionMap(file, converter.places)))
    except YAMLError as exc:
        problems.append(_syntax_problem(exc, text, file))
    except RecursionError:
        problems.append(spec_problem("YAML nested too deeply", Location(file), ""))
    if not documents and not problems:
        problems.append(spec_problem("empty file: expected a chartgen spec", Location(file), ""))
    return documents, problems


def _first_too_deep(text: str) -> StreamMark | None:
    """Where nesting first exceeds MAX_DEPTH, read from parser events before composing: the
    composer recurses per level and is slow on thousands of levels."""
    if shallow(text, MAX_DEPTH):  # the usual spec: no need to parse it twice
        return None
    depth = 0
    try:
        for event in YAML(typ="rt", pure=True).parse(text):
            if isinstance(event, (MappingStartEvent, SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark: StreamMark = event.start_mark
                    return mark
            elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
                depth -= 1
    except YAMLError:
        pass  # reported with its position when the documents are composed
    return None


def _is_empty(node: Node | None) -> bool:
    return node is None or (
        isinstance(node, ScalarNode) and node.tag == _TAG + "null" and node.value == ""
    )


def _syntax_problem(exc: YAMLError, text: str, file: str) -> Finding:
    if isinstance(exc, MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        context = f" ({exc.context}" if exc.context else ""
        if context and exc.context_mark is not None:
            context += f" started at line {exc.context_mark.line + 1}"
        context += ")" if context else ""
        where = Location(file, mark.line + 1, mark.column + 1)
        return spec_problem(f"YAML syntax error: {exc.problem}{context}", where, "")
    if isinstance(exc, ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        code = (
            exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or " ")
        )
        message = f"character U+{code:04X} is not allowed in YAML"
        return spec_problem(message, Location(file, line, column), "")
    return spec_problem(f"YAML error: {exc}", Location(file), "")


class _Converter:
    """Turns a composed node tree into JSON values, recording positions and problems."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.places: dict[str, tuple[int, int]] = {}
        self.problems: list[Finding] = []
        self._nodes = 0
        self._active: set[int] = set()

    def document(self, node: Node, index: int) -> Any:
        if not isinstance(node, MappingNode):
            kind = "a list" if isinstance(node, SequenceNode) else "a single value"
            message = f"document {index + 1} is {kind}, expected a mapping (apiVersion, kind, ...)"
            self._record(node, "$", message)
            return None
        self.places["$"] = _place(node)
        try:
            return self.value(node, "$", 0)
        except _Stop:
            return None

    def value(self, node: Node, path: str, depth: int) -> Any:
        self._count(node, path, depth)
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        if node.tag not in _PLAIN_TAGS:
            self._fail(node, path, f"unsupported YAML tag {_short_tag(node.tag or '')}")
        self._active.add(id(node))
        try:
            if isinstance(node, MappingNode):
                return self._mapping(node, path, depth)
            return [self._item(item, path, number, depth) for number, item in enumerate(node.value)]
        finally:
            self._active.discard(id(node))

    def _count(self, node: Node, path: str, depth: int) -> None:
        self._nodes += 1
        if id(node) in self._active:
            self._fail(node, path, "recursive alias: a node cannot contain itself")
        if self._nodes > MAX_NODES:
            self._fail(node, path, f"document expands to more than {MAX_NODES} nodes (alias bomb?)")
        if depth > MAX_DEPTH:
            self._fail(node, path, f"nested deeper than {MAX_DEPTH} levels")

    def _item(self, node: Node, parent: str, number: int, depth: int) -> Any:
        path = child_path(parent, number)
        self.places.setdefault(path, _place(node))
        return self.value(node, path, depth + 1)

    def _mapping(self, node: MappingNode, path: str, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        merges: list[Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merges.append(value_node)
                continue
            key = self._key(key_node, path)
            if key in first_seen:
                message = f"duplicate key {key!r} (first at line {first_seen[key]})"
                self._record(key_node, child_path(path, key), message)
                continue
            first_seen[key] = key_node.start_mark.line + 1
            member = child_path(path, key)
            self.places.setdefault(member, _place(key_node))
            result[key] = self.value(value_node, member, depth + 1)
        for merge in merges:
            self._merge(merge, path, depth, result)
        return result

    def _merge(self, node: Node, path: str, depth: int, result: dict[str, Any]) -> None:
        """`<<: *base` (or a list of them) fills keys not set explicitly."""
        sources = node.value if isinstance(node, SequenceNode) else [node]
        for source in sources:
            merged = self.value(source, path, depth + 1)
            if not isinstance(merged, dict):
                self._fail(source, path, "a merge key (<<) needs a mapping or a list of mappings")
            for key, member_value in merged.items():
                result.setdefault(key, member_value)

    def _key(self, node: Node, path: str) -> str:
        if not isinstance(node, ScalarNode):
            self._fail(node, path, "mapping keys must be plain strings, not lists or mappings")
        return str(node.value)

    def _scalar(self, node: ScalarNode, path: str) -> Any:
        tag, text = node.tag or "", node.value
        if not tag.startswith(_TAG):
            self._fail(node, path, f"unsupported YAML tag {_short_tag(tag)}")
        kind = tag[len(_TAG) :]
        try:
            return SCALAR_READERS[kind](text)
        except KeyError:
            self._fail(node, path, f"unsupported YAML tag !!{kind}")
        except ValueError as exc:
            self._fail(node, path, str(exc))

    def _record(self, node: Node, path: str, message: str) -> None:
        where = _place(node)
        self.problems.append(spec_problem(message, Location(self.file, *where), path))

    def _fail(self, node: Node, path: str, message: str) -> Any:
        self._record(node, path, message)
        raise _Stop


def _place(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag
