"""YAML streams -> ManifestObjects: one document at a time (a bad document spoils only itself),
exact line numbers, and `kind: List` expanded into its items."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chartgen.manifests import ManifestObject, ManifestParseError, parse_documents
from chartgen.validate.issues import RULE_OBJECT_INVALID, RULE_YAML_SYNTAX

_SEPARATOR_RE = re.compile(r"^---[ \t]*(#.*)?$")
_SOURCE_RE = re.compile(r"^# Source: (\S+)[ \t]*$", re.MULTILINE)  # `helm template` output


@dataclass(frozen=True)
class TextDocument:
    text: str
    line: int  # 1-based line of the document's first line in the whole stream


@dataclass(frozen=True)
class ParseProblem:
    rule_id: str
    message: str
    line: int  # absolute, in the stream the documents came from


@dataclass
class ParsedStream:
    objects: list[ManifestObject] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)


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
    for document in split_stream(text):
        found = parse_document(document.text, file, first_line + document.line - 1)
        if isinstance(found, ParseProblem):
            parsed.problems.append(found)
            continue
        source = _SOURCE_RE.search(document.text)
        for obj in found:
            obj.source_template = source.group(1) if source else obj.source_template
        parsed.objects.extend(found)
    return parsed


def parse_document(text: str, file: str, first_line: int) -> list[ManifestObject] | ParseProblem:
    try:
        objects = list(parse_documents(text, file, first_line=first_line))
    except ManifestParseError as exc:
        rule = RULE_YAML_SYNTAX if exc.message.startswith("invalid YAML") else RULE_OBJECT_INVALID
        return ParseProblem(rule, exc.message, exc.line)
    except (TypeError, ValueError) as exc:  # e.g. a mapping used as a key
        return ParseProblem(RULE_YAML_SYNTAX, f"invalid YAML: {exc}", first_line)
    return [item for obj in objects for item in expand_list(obj)]


def expand_list(obj: ManifestObject) -> list[ManifestObject]:
    """`kind: List` -> its items (as kubectl and kubeconform do); anything else unchanged."""
    items = obj.data.get("items")
    if obj.kind != "List" or not isinstance(items, list):
        return [obj]
    return [_item(obj, index, item) for index, item in enumerate(items) if isinstance(item, dict)]


def _item(parent: ManifestObject, index: int, data: dict[str, object]) -> ManifestObject:
    prefix = f"/items/{index}"
    lines = {p[len(prefix) :]: n for p, n in parent.lines.items() if _under(p, prefix)}
    duplicates = [(p[len(prefix) :], n) for p, n in parent.duplicate_keys if _under(p, prefix)]
    return ManifestObject(
        dict(data),
        parent.file,
        parent.lines.get(prefix, parent.line),
        lines,
        duplicates,
        parent.source_template,
    )


def _under(pointer: str, prefix: str) -> bool:
    return pointer == prefix or pointer.startswith(prefix + "/")
