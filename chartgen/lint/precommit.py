"""`chartgen lint --pre-commit FILE...`: the changed files pre-commit passes, mapped to what to lint.

A file inside a chart (templates, values, Chart.yaml, ci/ values, values.schema.json, .helmignore)
becomes its chart root, the nearest directory above it with a Chart.yaml; a chartgen spec
(`apiVersion: chartgen/...`) and a Kubernetes manifest stay as they are; anything else (workflow
files, `.chartgen.yaml`, other YAML) is left out. Each target appears once, in first-seen order,
so a chart is rendered once however many of its files changed (kube-linter#211: linting a single
template file cannot work).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from chartgen.errors import UserError
from chartgen.limits import read_input_bytes
from chartgen.lint.prestart import chart_root
from chartgen.rules.support.config import CONFIG_NAMES

YAML_SUFFIXES = (".yaml", ".yml")
SPEC_MARKER = re.compile(r"^apiVersion:[ \t]*['\"]?chartgen/", re.MULTILINE)
MANIFEST_MARKERS = (re.compile(r"^apiVersion:", re.MULTILINE), re.compile(r"^kind:", re.MULTILINE))


def lint_targets(files: Sequence[str]) -> list[str]:
    """Distinct chart roots, specs and manifests to lint for the changed `files`."""
    targets: dict[str, None] = {}
    for name in files:
        target = _target(Path(name))
        if target is not None:
            targets.setdefault(target)
    return list(targets)


def _target(path: Path) -> str | None:
    if not path.exists():  # deleted in this commit
        return None
    root = chart_root(path)
    if root is not None:
        return _shown(root)
    if path.is_file() and path.suffix in YAML_SUFFIXES and path.name not in CONFIG_NAMES:
        try:
            text = read_input_bytes(path).decode("utf-8", errors="replace")
        except UserError:
            return _shown(path)  # too large or unreadable: lint says so, with the file's name
        if SPEC_MARKER.search(text) or all(marker.search(text) for marker in MANIFEST_MARKERS):
            return _shown(path)
    return None


def _shown(path: Path) -> str:
    return path.as_posix()


def describe(targets: Iterable[str]) -> str:
    return ", ".join(targets) or "nothing to lint"
