"""YAML streams -> ManifestObjects: one document at a time (a bad document spoils only itself),
exact line numbers, and `kind: List` expanded into its items."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chartgen.errors import Location
from chartgen.findings import Finding
from chartgen.lint.units import problem_finding
from chartgen.manifests import (
    NOT_A_MAPPING,
    ManifestObject,
    ManifestParseError,
    NodeBudget,
    parse_documents,
)
from chartgen.validate.issues import RULE_OBJECT_INVALID, RULE_YAML_SYNTAX

_SEPARATOR_RE = re.compile(r"^---[ \t]*(#.*)?$")
_SOURCE_RE = re.compile(r"^# Source: (\S+)[ \t]*$", re.MULTILINE)  # `helm template` output


@dataclass(frozen=True)
class TextDocument:
    text: str
    line: int  # 1-based line of the document's first line in the whole stream


@dataclass
class ParsedStream:
    objects: list[ManifestObject] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)  # at their line in the stream


def split_stream(text: str) -> list[TextDocument]:
    """Documents between `---` lines, keeping where each starts; comment-only ones dropped."""
    documents: list[TextDocument] = []
    start, current = 1, list[str]()
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        if _SEPARATOR_RE.match(line.rstrip("\r\n")):
            documents.append(TextDocument("".join(current), start))
            start, current = number + 1, []
        else:
            current.append(line)
    documents.append(TextDocument("".join(current), start))
    return [doc for doc in documents if has_content(doc.text)]


def has_content(text: str) -> bool:
    return any(ln.strip() and not ln.lstrip().startswith("#") for ln in text.splitlines())


def parse_stream(text: str, file: str, *, first_line: int = 1) -> ParsedStream:
    """Every object of a multi-document stream; `first_line` is the stream's line in `file`."""
    parsed = ParsedStream()
    nodes = NodeBudget()  # one budget for the whole stream, not per document
    for document in split_stream(text):
        found = parse_document(document.text, file, first_line + document.line - 1, nodes)
        if isinstance(found, Finding):
            parsed.problems.append(found)
            continue
        source = _SOURCE_RE.search(document.text)
        for obj in found:
            obj.source_template = source.group(1) if source else obj.source_template
        parsed.objects.extend(found)
    return parsed


def parse_document(
    text: str, file: str, first_line: int, nodes: NodeBudget | None = None
) -> list[ManifestObject] | Finding:
    try:
        objects = list(parse_documents(text, file, first_line=first_line, nodes=nodes))
    except ManifestParseError as exc:
        rule = RULE_OBJECT_INVALID if exc.message == NOT_A_MAPPING else RULE_YAML_SYNTAX
        return problem_finding(rule, exc.message, Location(file, exc.line))
    except (TypeError, ValueError) as exc:  # e.g. a mapping used as a key
        return problem_finding(RULE_YAML_SYNTAX, f"invalid YAML: {exc}", Location(file, first_line))
    return [item for obj in objects for item in expand_list(obj)]


def expand_list(obj: ManifestObject) -> list[ManifestObject]:
    """`kind: List` -> its items (as kubectl and kubeconform do); anything else unchanged.
    Each item's lines are picked from the parent's in one pass: linear in the list's size."""
    items = obj.data.get("items")
    if obj.kind != "List" or not isinstance(items, list):
        return [obj]
    lines: dict[int, dict[str, int]] = {}
    for pointer, line in obj.lines.items():
        index, rest = _item_pointer(pointer)
        if index is not None:
            lines.setdefault(index, {})[rest] = line
    duplicates: dict[int, list[tuple[str, int]]] = {}
    for pointer, line in obj.duplicate_keys:
        index, rest = _item_pointer(pointer)
        if index is not None:
            duplicates.setdefault(index, []).append((rest, line))
    return [
        ManifestObject(
            dict(item),
            obj.file,
            obj.lines.get(f"/items/{index}", obj.line),
            lines.get(index, {}),
            duplicates.get(index, []),
            obj.source_template,
        )
        for index, item in enumerate(items)
        if isinstance(item, dict)
    ]


def _item_pointer(pointer: str) -> tuple[int | None, str]:
    """`/items/3/spec/x` -> (3, "/spec/x"); (None, "") outside `/items/N`."""
    if not pointer.startswith("/items/"):
        return None, ""
    number, _, rest = pointer[len("/items/") :].partition("/")
    if not number.isdigit():
        return None, ""
    return int(number), f"/{rest}" if rest else ""
