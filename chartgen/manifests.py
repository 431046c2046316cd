"""Rendered Kubernetes objects with the line of every field, parsed fast (libyaml when present).

A ManifestObject is what validators and rules see: the plain data, where the document came
from (file, `# Source:` template), and a JSON-pointer → line map to point findings at a line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from chartgen.findings import ObjectRef

try:  # libyaml is ~10x faster; the pure-Python loader gives the same nodes
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


@dataclass
class ManifestObject:
    """One Kubernetes object from a rendered chart or a manifest file."""

    data: dict[str, Any]
    file: str  # the file a user opens: manifest file, or chart template path via `# Source:`
    line: int  # 1-based line of the document's first key inside `file`'s rendered text
    lines: dict[str, int] = field(default_factory=dict)  # JSON pointer -> absolute 1-based line
    duplicate_keys: list[tuple[str, int]] = field(default_factory=list)  # (pointer, line)
    source_template: str = ""  # chart-relative template path when rendered by Helm

    @property
    def kind(self) -> str:
        return str(self.data.get("kind") or "")

    @property
    def api_version(self) -> str:
        return str(self.data.get("apiVersion") or "")

    @property
    def name(self) -> str:
        meta = self.data.get("metadata")
        return str(meta.get("name") or "") if isinstance(meta, dict) else ""

    @property
    def namespace(self) -> str:
        meta = self.data.get("metadata")
        return str(meta.get("namespace") or "") if isinstance(meta, dict) else ""

    @property
    def ref(self) -> ObjectRef:
        return ObjectRef(self.kind, self.name, self.namespace, self.api_version)

    def line_of(self, pointer: str) -> int:
        """The line of `pointer`, or of its nearest ancestor that has one."""
        while pointer:
            if pointer in self.lines:
                return self.lines[pointer]
            pointer = pointer.rsplit("/", 1)[0]
        return self.lines.get("", self.line)


class ManifestParseError(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def escape_pointer(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def parse_documents(text: str, file: str, *, first_line: int = 1) -> Iterator[ManifestObject]:
    """Parse every non-empty YAML document of `text`; raises ManifestParseError on bad YAML."""
    try:
        for node in yaml.compose_all(text, Loader=_Loader):
            if node is None:
                continue
            obj = _node_to_object(node, file, first_line)
            if obj is not None:
                yield obj
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        raise ManifestParseError(f"invalid YAML: {exc.problem or exc}", line) from exc


def _node_to_object(node: yaml.Node, file: str, first_line: int) -> ManifestObject | None:
    lines: dict[str, int] = {}
    dups: list[tuple[str, int]] = []
    data = _build(node, "", lines, dups, first_line)
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ManifestParseError(
            "a Kubernetes object must be a mapping", first_line + node.start_mark.line
        )
    return ManifestObject(data, file, first_line + node.start_mark.line, lines, dups)


def _build(
    node: yaml.Node, pointer: str, lines: dict[str, int], dups: list[tuple[str, int]], base: int
) -> Any:
    lines[pointer] = base + node.start_mark.line
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            raw_key = _scalar(key_node)
            if raw_key == "<<":  # merge keys are rare in manifests: keep the plain value semantics
                continue
            # JSON (and so the API server) only has string keys: 1 -> "1", true -> "true".
            key = raw_key if isinstance(raw_key, str) else json.dumps(raw_key)
            child = f"{pointer}/{escape_pointer(key)}"
            if key in result:
                dups.append((child, base + key_node.start_mark.line))
            result[key] = _build(value_node, child, lines, dups, base)
            lines[child] = base + key_node.start_mark.line
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, f"{pointer}/{i}", lines, dups, base) for i, item in enumerate(node.value)
        ]
    return _scalar(node)


class _PlainLoader(yaml.SafeLoader):
    """Timestamps stay strings: Kubernetes (and JSON Schema) see them as strings too."""


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


_PlainLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
_CONSTRUCTOR = _PlainLoader("")


_STR_TAG = "tag:yaml.org,2002:str"


def _scalar(node: yaml.Node) -> Any:
    if node.tag == _STR_TAG and isinstance(node, yaml.ScalarNode):  # most scalars: no constructor
        return node.value
    value = _CONSTRUCTOR.construct_object(node, deep=True)
    _CONSTRUCTOR.constructed_objects.pop(node, None)  # the shared constructor must not keep nodes
    return value
