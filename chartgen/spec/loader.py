"""Spec files in, validated SpecDocuments out: YAML, schema and semantics; all problems at once.

A directory stands for every `*.yaml` / `*.yml` file below it (recursive, sorted, hidden
directories skipped) that has a top-level line `apiVersion: chartgen/...`; other YAML files
(values files, Kubernetes manifests) are skipped. Files named explicitly are always loaded.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chartgen.errors import Location, SpecErrors
from chartgen.findings import Finding, Issue, Severity, spec_problem
from chartgen.spec.positions import PositionMap
from chartgen.spec.schema import schema_problems
from chartgen.spec.semantics import duplicate_names, semantic_issues
from chartgen.spec.yamlread import MAX_FILE_BYTES, read_file

SPEC_SUFFIXES = (".yaml", ".yml")
_SPEC_MARKER = re.compile(rb"^apiVersion:[ \t]*['\"]?chartgen/", re.MULTILINE)


@dataclass(frozen=True)
class SpecDocument:
    """One schema-valid spec: its file, document number in the file (0-based) and plain data."""

    path: Path
    index: int
    name: str
    data: dict[str, Any]
    positions: PositionMap = field(repr=False, compare=False)

    def location_of(self, json_path: str) -> Location:
        """Where `$.spec.resources.gpu.count` is written (or its nearest written ancestor)."""
        return self.positions.location_of(json_path)

    def problem(self, issue: Issue) -> Finding:
        where = self.location_of(issue.pointer)
        return spec_problem(issue.message, where, issue.pointer, issue.severity or Severity.ERROR)


def load_specs(paths: Sequence[Path]) -> list[SpecDocument]:
    """Every spec of the files and directories; SpecErrors with every error of every file."""
    return check_specs(paths)[0]


def check_specs(paths: Sequence[Path]) -> tuple[list[SpecDocument], list[Finding]]:
    """Like load_specs, and also the warnings (sorted); errors are raised together."""
    files, problems = spec_files(paths)
    documents: list[SpecDocument] = []
    for file in files:
        file_documents, file_problems = _load_file(file)
        documents.extend(file_documents)
        problems.extend(file_problems)
    problems.extend(_semantic_problems(documents))
    errors = [problem for problem in problems if problem.severity is Severity.ERROR]
    if errors:
        raise SpecErrors(_sorted(errors))
    return documents, _sorted(problems)


def spec_files(paths: Sequence[Path]) -> tuple[list[Path], list[Finding]]:
    """The files to load, in order and without repeats, and a problem per directory with none."""
    files: list[Path] = []
    problems: list[Finding] = []
    for path in paths:
        if not _is_dir(path):
            files.append(path)  # the reader reports what is wrong with it (missing, too long)
            continue
        found = list(_directory_specs(path))
        if not found:
            message = "no spec files here (*.yaml or *.yml with a line `apiVersion: chartgen/v1`)"
            problems.append(spec_problem(message, Location(str(path)), ""))
        files.extend(found)
    unique = list(dict.fromkeys(files))
    return unique, problems


def _is_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(path.stat().st_mode)
    except OSError:
        return False


def _directory_specs(directory: Path) -> Iterator[Path]:
    for root, subdirectories, names in os.walk(directory):
        subdirectories[:] = sorted(name for name in subdirectories if not name.startswith("."))
        for name in sorted(names):
            candidate = Path(root) / name
            if candidate.suffix in SPEC_SUFFIXES and _looks_like_spec(candidate):
                yield candidate


def _looks_like_spec(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            head = stream.read(MAX_FILE_BYTES)
    except OSError:
        return True  # let the loader report why it cannot be read
    return _SPEC_MARKER.search(head) is not None


def _load_file(path: Path) -> tuple[list[SpecDocument], list[Finding]]:
    raw_documents, problems = read_file(path)
    documents: list[SpecDocument] = []
    for raw in raw_documents:
        found = schema_problems(raw.data, raw.positions)
        problems.extend(found)
        if not found:
            name = str(raw.data["metadata"]["name"])
            documents.append(SpecDocument(path, raw.index, name, raw.data, raw.positions))
    return documents, problems


def _semantic_problems(documents: Sequence[SpecDocument]) -> list[Finding]:
    problems = [doc.problem(issue) for doc in documents for issue in semantic_issues(doc.data)]
    places = [(f"{doc.path} (document {doc.index + 1})", doc.data) for doc in documents]
    problems.extend(documents[number].problem(issue) for number, issue in duplicate_names(places))
    return problems


def _sorted(problems: Sequence[Finding]) -> list[Finding]:
    return sorted(problems, key=_order)


def _order(problem: Finding) -> tuple[str, int, int, str, str, str]:
    where = problem.location
    fields = (problem.json_path, problem.message, problem.severity.label)
    return (where.file, where.line, where.column, *fields)
