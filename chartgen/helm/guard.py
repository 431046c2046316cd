"""What a linted chart may make Helm read: nothing over the network, no file outside the chart.

Helm validates values against a chart's `values.schema.json` and follows its `$ref`s (and an
unknown `$schema`) to http(s) and file URLs; its directory loader follows symbolic links wherever
they point. Neither can be switched off in the SDK, so the chart Helm sees is made safe first:
when a schema refers outside itself, or a link leaves the chart, Helm gets a copy of the chart
without those files, and each one is reported. Subcharts packed as `charts/*.tgz` are checked
too (unpacked into the copy when one of them needs it).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tarfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from chartgen.errors import UserError
from chartgen.limits import MAX_ARCHIVE_FILE_BYTES, read_input_bytes

SCHEMA_FILE = "values.schema.json"
_REFERENCE_KEYS = ("$ref", "$dynamicRef", "$recursiveRef")
# Metaschemas the validator (santhosh-tekuri/jsonschema v6, as in Helm 3.18.5+ and 4) has built in.
_BUILT_IN_METASCHEMAS = frozenset(
    prefix + suffix
    for prefix in (
        "http://json-schema.org/draft-04/schema",
        "http://json-schema.org/draft-06/schema",
        "http://json-schema.org/draft-07/schema",
        "https://json-schema.org/draft/2019-09/schema",
        "https://json-schema.org/draft/2020-12/schema",
    )
    for suffix in ("", "#")
)
_MAX_SUBCHART_DEPTH = 8


@dataclass(frozen=True)
class Refusal:
    file: str  # chart-relative, `charts/sub.tgz!/sub/values.schema.json` inside a packed subchart
    message: str


@dataclass
class GuardedChart:
    directory: Path  # what Helm gets: the chart itself, or a copy without the refused files
    refusals: list[Refusal] = field(default_factory=list)


def guard_chart(directory: Path, scratch: Path) -> GuardedChart:
    """The chart as Helm may read it; `scratch` receives the copy when one is needed."""
    refusals = list(_refusals(directory, "", 0))
    if not refusals:
        return GuardedChart(directory)
    copy = scratch / directory.name
    _safe_copy(directory, copy, 0)
    return GuardedChart(copy, refusals)


def _refusals(directory: Path, prefix: str, depth: int) -> Iterator[Refusal]:
    root = directory.resolve()
    for current, dirs, names in os.walk(directory):
        here = Path(current)
        dirs.sort()
        for name in sorted([*dirs, *names]):
            path = here / name
            relative = prefix + path.relative_to(directory).as_posix()
            if path.is_symlink() and not _inside(path, root):
                yield Refusal(relative, f"symbolic link to {os.readlink(path)} leaves the chart")
            elif name == SCHEMA_FILE and path.is_file():
                problem = schema_problem(_read(path, relative))
                if problem:
                    yield Refusal(relative, problem)
            elif name.endswith(".tgz") and path.is_file() and here.name == "charts":
                yield from _archive_refusals(path, relative, depth)


def _inside(link: Path, root: Path) -> bool:
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):  # dangling, or a loop
        return False
    return target == root or target.is_relative_to(root)


def _read(path: Path, relative: str) -> bytes:
    try:
        return read_input_bytes(path, shown=relative)
    except UserError as exc:
        return json.dumps({"$ref": f"unreadable: {exc.message}"}).encode()


def schema_problem(raw: bytes) -> str:
    """Why Helm must not see this schema: a reference it would fetch, or JSON it cannot read."""
    try:
        schema = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        return ""  # Helm reports invalid JSON itself, without fetching anything
    outside = _outside_references(schema)
    if not outside:
        return ""
    shown = ", ".join(sorted(set(outside))[:3])
    return (
        f"refers outside itself ({shown}); chartgen lint reads no network and no file "
        "outside its inputs, so values are not checked against this schema"
    )


def _outside_references(schema: Any) -> list[str]:
    found: list[str] = []
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str) and _fetches(key, value):
                    found.append(value)
                elif isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(item for item in node if isinstance(item, (dict, list)))
    return found


def _fetches(key: str, value: str) -> bool:
    if key in _REFERENCE_KEYS:
        return not value.startswith("#")
    return key == "$schema" and value not in _BUILT_IN_METASCHEMAS


def _archive_refusals(archive: Path, relative: str, depth: int) -> Iterator[Refusal]:
    try:
        data = read_input_bytes(archive, shown=relative)
    except UserError:
        return  # Helm reports an unreadable subchart itself
    yield from _packed_refusals(data, relative, depth)


def _packed_refusals(data: bytes, relative: str, depth: int) -> Iterator[Refusal]:
    """Unsafe schemas in a packed (sub)chart, and in the subcharts packed inside it."""
    if depth >= _MAX_SUBCHART_DEPTH:
        yield Refusal(relative, f"subcharts nested more than {_MAX_SUBCHART_DEPTH} deep")
        return
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as bundle:
            for member in bundle:
                name = PurePosixPath(member.name)
                wanted = name.name == SCHEMA_FILE or (
                    name.suffix == ".tgz" and name.parent.name == "charts"
                )
                if not wanted or not member.isfile() or member.size > MAX_ARCHIVE_FILE_BYTES:
                    continue  # Helm skips these, or refuses the archive itself
                source = bundle.extractfile(member)
                content = source.read() if source else b""
                inner = f"{relative}!/{member.name}"
                if name.name == SCHEMA_FILE:
                    problem = schema_problem(content)
                    if problem:
                        yield Refusal(inner, problem)
                else:
                    yield from _packed_refusals(content, inner, depth + 1)
    except (tarfile.TarError, EOFError, OSError, ValueError, zlib.error):
        return  # Helm reports an unreadable subchart itself


def _safe_copy(source: Path, target: Path, depth: int) -> None:
    """Copy a chart without escaping links and unsafe schemas; packed subcharts that hold
    anything unsafe are unpacked (then copied the same way) instead of copied."""
    from chartgen.lint.inputs import extract_archive

    root = source.resolve()
    target.mkdir(parents=True, exist_ok=True)
    for current, dirs, names in os.walk(source):
        here = Path(current)
        destination = target / here.relative_to(source)
        destination.mkdir(parents=True, exist_ok=True)
        for name in list(dirs):
            if (here / name).is_symlink() and not _inside(here / name, root):
                dirs.remove(name)
        for name in names:
            path = here / name
            if path.is_symlink() and not _inside(path, root):
                continue
            if name == SCHEMA_FILE and schema_problem(_read(path, name)):
                continue
            packed = name.endswith(".tgz") and here.name == "charts"
            if packed and any(True for _ in _archive_refusals(path, name, depth)):
                if depth < _MAX_SUBCHART_DEPTH:  # deeper: left out altogether
                    unpacked = destination / f".unpacked-{name}"
                    for chart in extract_archive(path, unpacked, str(path)):
                        _safe_copy(chart, destination / chart.name, depth + 1)
                    shutil.rmtree(unpacked, ignore_errors=True)
                continue
            shutil.copyfile(path, destination / name)
