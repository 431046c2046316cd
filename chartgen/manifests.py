"""Rendered Kubernetes objects with the line of every field, parsed fast (libyaml when present).

A ManifestObject is what validators and rules see: the plain data, where the document came
from (file, `# Source:` template), and a JSON-pointer → line map to point findings at a line.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from chartgen.findings import ObjectRef
from chartgen.limits import INPUT_BUDGET, MIB, Budget, shallow

try:  # libyaml is ~10x faster; the pure-Python loader gives the same nodes
    _Base: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover
    _Base = yaml.SafeLoader

_RESOLVED: dict[tuple[str, bool], str] = {}  # (plain scalar, implicit) -> tag
_RESOLVED_MAX = 65536


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """The composer asks Python for the implicit tag of every scalar (one to four regex tries
    each): manifests repeat the same label keys, names and ports, so each answer is kept."""

    # libyaml's composer calls these around every node, for path resolvers (`add_path_resolver`),
    # which lint never registers: C no-ops of the same arity skip a Python call per node (a
    # tenth of composing 1.9 MB of CRDs).
    descend_resolver = operator.is_  # (parent, index) -> ignored
    ascend_resolver = int  # () -> ignored

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        if kind is not yaml.ScalarNode or self.yaml_path_resolvers:
            return str(super().resolve(kind, value, implicit))
        key = (value, bool(implicit[0]))
        tag = _RESOLVED.get(key)
        if tag is None:
            tag = str(super().resolve(kind, value, implicit))
            if len(_RESOLVED) < _RESOLVED_MAX and len(value) <= 256:
                _RESOLVED[key] = tag
        return tag


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


class NodeBudget:
    """Nodes left for one input (a stream of documents): aliases count each time they expand."""

    def __init__(self, budget: Budget = INPUT_BUDGET) -> None:
        self.budget = budget
        self.nodes = 0


def parse_documents(
    text: str, file: str, *, first_line: int = 1, nodes: NodeBudget | None = None
) -> Iterator[ManifestObject]:
    """Parse every non-empty YAML document of `text`; raises ManifestParseError on bad YAML or
    on text past its budget (size, depth, nodes after aliases)."""
    for node, data in _documents(text, first_line, nodes or NodeBudget()):
        obj = _to_object(node, data, file, first_line)
        if obj is not None:
            yield obj


def load_all(text: str, file: str, budget: Budget = INPUT_BUDGET) -> list[tuple[Any, int]]:
    """Plain data of every non-empty document with its 1-based first line, under `budget`."""
    return [
        (walk.data, node.start_mark.line + 1)
        for node, walk in _documents(text, 1, NodeBudget(budget))
    ]


def _documents(text: str, first_line: int, nodes: NodeBudget) -> Iterator[tuple[yaml.Node, _Walk]]:
    budget = nodes.budget
    if len(text) > budget.max_bytes:
        raise ManifestParseError(f"larger than {budget.max_bytes // MIB} MiB", first_line)
    deep = _too_deep(text, budget.max_depth)
    if deep is not None:
        message = f"nested deeper than {budget.max_depth} levels"
        raise ManifestParseError(message, first_line + deep)
    try:
        for node in yaml.compose_all(text, Loader=_Loader):
            if node is not None:
                yield node, _Walk(node, first_line, nodes)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        raise ManifestParseError(
            f"invalid YAML: {_one_line(exc.problem or str(exc))}", line
        ) from None
    except yaml.reader.ReaderError as exc:  # control characters, bad encodings
        line = first_line + text.count("\n", 0, max(exc.position, 0))
        code = (
            exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or " ")
        )
        message = f"invalid YAML: character U+{code:04X} is not allowed"
        raise ManifestParseError(message, line) from None
    except yaml.YAMLError as exc:
        raise ManifestParseError(f"invalid YAML: {_one_line(str(exc))}", first_line) from None


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


LIBYAML_DEPTH_PROBLEM = "exceeded maximum nesting depth"


def _too_deep(text: str, limit: int) -> int | None:
    """The 0-based line where nesting first passes `limit`, found from parser events before
    anything recurses (libyaml's composer crashes the process on very deep input)."""
    if shallow(text, limit):
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > limit:
                    mark = event.start_mark
                    return int(mark.line) if mark is not None else 0
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # libyaml 0.2.6 (PyYAML 6.0.4) stops at 1000 flow levels, scanning ahead of the events:
        # deeper than any budget, so it is that budget's finding, not invalid YAML.
        if exc.problem == LIBYAML_DEPTH_PROBLEM:
            return int(exc.problem_mark.line) if exc.problem_mark is not None else 0
        return None  # reported with its line when composed
    except yaml.YAMLError:
        return None
    return None


def _to_object(node: yaml.Node, walk: _Walk, file: str, first_line: int) -> ManifestObject | None:
    if walk.data is None:
        return None
    if not isinstance(walk.data, dict):
        raise ManifestParseError(NOT_A_MAPPING, first_line + node.start_mark.line)
    return ManifestObject(
        walk.data, file, first_line + node.start_mark.line, walk.lines, walk.duplicates
    )


NOT_A_MAPPING = "a Kubernetes object must be a mapping"
_JSON_SCALARS = (str, int, float, bool, type(None))


class _Walk:
    """A composed node tree -> plain data, the line of every pointer and duplicate keys; the
    node budget, nesting depth and recursive aliases are checked on the way. Plain strings, most
    scalars, take no constructor call: this runs for every node of every rendered document."""

    def __init__(self, node: yaml.Node, base: int, nodes: NodeBudget) -> None:
        self.base = base
        self.nodes = nodes
        self.max_nodes = nodes.budget.max_nodes
        self.max_depth = nodes.budget.max_depth
        self.lines: dict[str, int] = {}
        self.duplicates: list[tuple[str, int]] = []
        self._active: set[int] = set()
        self.data = self.build(node, "", 0)

    def _line(self, node: yaml.Node) -> int:
        return self.base + node.start_mark.line

    def build(self, node: yaml.Node, pointer: str, depth: int) -> Any:
        counter = self.nodes
        counter.nodes += 1
        if counter.nodes > self.max_nodes:
            message = f"expands to more than {self.max_nodes} nodes (an alias bomb?)"
            raise ManifestParseError(message, self._line(node))
        if depth > self.max_depth:
            raise ManifestParseError(
                f"nested deeper than {self.max_depth} levels", self._line(node)
            )
        self.lines[pointer] = self.base + node.start_mark.line
        if isinstance(node, yaml.ScalarNode):
            return node.value if node.tag == _STR_TAG else self._scalar(node)
        if id(node) in self._active:
            raise ManifestParseError("recursive alias: a node contains itself", self._line(node))
        self._active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, pointer, depth + 1)
            build = self.build
            return [
                build(item, f"{pointer}/{index}", depth + 1)
                for index, item in enumerate(node.value)
            ]
        finally:
            self._active.discard(id(node))

    def _mapping(self, node: yaml.MappingNode, pointer: str, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        lines, base, build = self.lines, self.base, self.build
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                message = "a mapping key must be a plain value, not a list or a mapping"
                raise ManifestParseError(f"invalid YAML: {message}", self._line(key_node))
            raw_key = key_node.value if key_node.tag == _STR_TAG else self._scalar(key_node)
            if raw_key == "<<":  # merge keys are rare in manifests: keep the plain value semantics
                continue
            # JSON (and so the API server) only has string keys: 1 -> "1", true -> "true".
            key = raw_key if isinstance(raw_key, str) else json.dumps(raw_key)
            child = f"{pointer}/{escape_pointer(key)}"
            if key in result:
                self.duplicates.append((child, base + key_node.start_mark.line))
            result[key] = build(value_node, child, depth)
            lines[child] = base + key_node.start_mark.line
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        value = _scalar(node)
        if not isinstance(value, _JSON_SCALARS):
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            message = f"invalid YAML: tag {tag} has no JSON value (Kubernetes objects are JSON)"
            raise ManifestParseError(message, self._line(node))
        return value


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
