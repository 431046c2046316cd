"""The engine interface and the pieces both engines share."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from chartgen.errors import Location, UserError

DEFAULT_RELEASE = "release-name"
DEFAULT_NAMESPACE = "default"


@dataclass(frozen=True)
class RenderedDoc:
    """One YAML document Helm rendered, with the template it came from (`# Source:`)."""

    source: str
    text: str
    line: int = 1  # 1-based line of the document's first line inside the combined output


class Rendered(list[RenderedDoc]):
    """The documents of one render, and the warnings Helm printed while rendering them
    (values that could not be merged, ...), which lint reports as findings."""

    warnings: tuple[str, ...] = ()


_WARNING_RE = re.compile(r"(?:^|\s|\")warning: (?P<text>.*?)\"?\s*$", re.IGNORECASE)
_LEVEL_WARN_RE = re.compile(r'^level=WARN(?:ING)? msg="(?P<text>.*?)"', re.IGNORECASE)


def helm_warnings(stderr: str) -> tuple[str, ...]:
    """Helm's warnings from its stderr, each once and without the logger's prefix: Helm 3 and
    the SDK print `[date] coalesce.go:316: warning: ...`, Helm 4 `level=INFO msg="warning: ..."`
    or `level=WARN msg="..."`."""
    found: dict[str, None] = {}
    for line in stderr.splitlines():
        match = _LEVEL_WARN_RE.match(line.strip()) or _WARNING_RE.search(line)
        if match and match.group("text").strip():
            found[" ".join(match.group("text").split())] = None
    return tuple(found)


@dataclass(frozen=True)
class RenderOptions:
    release: str = DEFAULT_RELEASE
    namespace: str = DEFAULT_NAMESPACE
    kube_version: str | None = None
    value_files: Sequence[Path] = ()
    set_values: Sequence[str] = ()


class HelmEngine(Protocol):
    name: str

    def render(self, chart: Path, options: RenderOptions) -> Rendered: ...


_SOURCE_RE = re.compile(r"^# Source: (.+)$", re.MULTILINE)


def split_documents(source: str, text: str) -> list[RenderedDoc]:
    """Split one template's output into its non-empty YAML documents."""
    return [
        RenderedDoc(source, _body(chunk), start + _first_body_line(chunk))
        for chunk, start in _chunks(text)
        if _has_content(chunk)
    ]


def split_helm_output(output: str) -> list[RenderedDoc]:
    """Split `helm template` output into documents, keeping each one's `# Source:`."""
    docs: list[RenderedDoc] = []
    for chunk, start in _chunks(output):
        match = _SOURCE_RE.search(chunk)
        body = _SOURCE_RE.sub("", chunk, count=1)
        if match and _has_content(body):
            docs.append(
                RenderedDoc(match.group(1).strip(), _body(body), start + _first_body_line(chunk))
            )
    return docs


def _chunks(text: str) -> list[tuple[str, int]]:
    """The `---`-separated chunks with the 1-based line their first character is on."""
    chunks, start, line = [], 0, 1
    for begin, end in _separators(text):
        chunk = text[start:begin]
        chunks.append((chunk, line))
        line += chunk.count("\n")
        start = end
    chunks.append((text[start:], line))
    return chunks


def _separators(text: str) -> Iterator[tuple[int, int]]:
    """Where the lines matching `^---[ \\t]*$` (multiline) begin and end. Found
    with str.find rather than the regex, which tries every position of the text: a tenth of the
    time on an operator's 1.9 MB of CRDs."""
    size, position = len(text), 0
    while (found := text.find("---", position)) >= 0:
        end = found + 3
        if found == 0 or text[found - 1] == "\n":
            while end < size and text[end] in " \t":
                end += 1
            if end == size or text[end] == "\n":
                yield found, end
        position = found + 3


def _body(chunk: str) -> str:
    return chunk.strip("\n").rstrip() + "\n"


def _first_body_line(chunk: str) -> int:
    """The 0-based index (lines split at `\\n`) of the first line that is neither blank nor
    `# Source:`, else 0. Lines are cut one by one: a document is usually found on its first
    lines, and splitting all 1.9 MB of an operator's CRDs took longer than parsing their start."""
    index, start = 0, 0
    while True:
        end = chunk.find("\n", start)
        line = chunk[start:] if end < 0 else chunk[start:end]
        if line.strip() and not _SOURCE_RE.match(line):
            return index
        if end < 0:
            return 0
        index, start = index + 1, end + 1


def _has_content(chunk: str) -> bool:
    """Whether a line holds something other than whitespace and comments. The first character
    that is not whitespace (every line separator is whitespace) settles it unless it starts a
    comment: then the lines are looked at one by one."""
    first = chunk.lstrip()[:1]
    if first != "#":
        return bool(first)
    return any(ln.strip() and not ln.lstrip().startswith("#") for ln in chunk.splitlines())


def deep_merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Helm's values coalescing: maps merge recursively, a null override deletes the key."""
    merged = dict(base)
    for key, value in override.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_value_files(files: Sequence[Path]) -> dict[str, Any]:
    """Values files merged in order, each read under the input budget (regular file, size,
    depth, nodes after aliases); a problem is one line naming the file and line."""
    from chartgen.limits import read_input_text
    from chartgen.manifests import ManifestParseError, load_all

    merged: dict[str, Any] = {}
    for path in files:
        text = read_input_text(path, shown=str(path))
        try:
            documents = load_all(text, str(path))
        except ManifestParseError as exc:
            raise UserError(exc.message, Location(str(path), exc.line)) from None
        data = documents[0][0] if documents else {}
        if not isinstance(data, dict):
            line = documents[0][1] if documents else 0
            raise UserError("a values file must hold a mapping", Location(str(path), line))
        merged = deep_merge(merged, data)
    return merged


def get_engine(
    name: str = "embedded",
    helm_binary: str | None = None,
    *,
    seconds: float | None = None,
    memory_mib: int | None = None,
    reuse: bool = False,
) -> HelmEngine:
    """`embedded` (Helm's Go SDK in worker processes, no helm binary needed), `cli` (helm on PATH
    or --helm), or `auto`; every render runs under a time and memory bound. `reuse`: the
    embedded engine renders a request it has seen (same chart, values, release) only once."""
    from chartgen.helm.sandbox import Limits

    limits = Limits.of(seconds, memory_mib)
    if name == "cli" or (name == "auto" and helm_binary):
        from chartgen.helm.cli_engine import CliEngine

        return CliEngine(helm_binary, limits)
    if name in ("embedded", "auto"):
        from chartgen.helm.embedded import EmbeddedEngine

        return EmbeddedEngine(limits, reuse=reuse)
    raise UserError(f"unknown helm engine {name!r} (allowed: embedded, cli, auto)")
