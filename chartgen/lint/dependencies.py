"""Chart dependencies declared in Chart.yaml but absent from charts/, judged like Helm.

Helm's lint warns "chart directory is missing these dependencies: ..." (pkg/lint/rules/
dependencies.go, validateDependencyInChartsDir); `helm template`/`install` refuse the chart
("found in Chart.yaml, but missing in charts/ directory", pkg/action/dependency.go
CheckDependencies). The embedded SDK renders without them, so their objects are never linted:
lint says so, for each dependency the values enable (pkg/chart/v2/util/dependencies.go: tags
first, then the first `condition` path that holds a bool wins; enabled when neither decides).
"""

from __future__ import annotations

import re
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chartgen.errors import UserError
from chartgen.limits import read_input_text
from chartgen.manifests import ManifestObject, ManifestParseError, parse_documents

_ARCHIVE_RE = re.compile(r"^(?P<name>.+?)-v?\d+\.\d+\.\d+[^/]*\.tgz$")


@dataclass(frozen=True)
class MissingDependency:
    name: str
    line: int  # of its `name:` in Chart.yaml (requirements.yaml for apiVersion v1 charts)
    file: str  # Chart.yaml | requirements.yaml
    why: str  # what enables it


def read_chart_file(path: Path) -> ManifestObject | None:
    """A chart's Chart.yaml (or requirements.yaml) with the line of every field; None when it is
    absent or unreadable (Helm reports that itself)."""
    if not path.is_file():
        return None
    try:
        found = list(parse_documents(read_input_text(path), path.name))
    except (UserError, ManifestParseError, TypeError, ValueError):
        return None  # Helm reports an unreadable Chart.yaml itself
    return found[0] if found else None


def missing_dependencies(
    directory: Path,
    values_of: Callable[[], dict[str, Any]],
    read: Callable[[Path], ManifestObject | None] = read_chart_file,
) -> list[MissingDependency]:
    """Dependencies the values (computed only when some are declared) enable that charts/
    does not hold. `read` reads a Chart.yaml or requirements.yaml (a chart's values variants
    share one reading of each)."""
    missing: list[MissingDependency] = []
    for file in ("Chart.yaml", "requirements.yaml"):
        declared = read(directory / file)
        entries = declared.data.get("dependencies") if declared else None
        if declared is None or not isinstance(entries, list) or not entries:
            continue
        present, values = _present(directory / "charts", read), values_of()
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                continue
            enabled, why = _enabled(entry, values)
            if enabled and entry["name"] not in present:
                line = declared.line_of(f"/dependencies/{index}/name")
                missing.append(MissingDependency(entry["name"], line, file, why))
    return missing


def _present(charts: Path, read: Callable[[Path], ManifestObject | None]) -> set[str]:
    """Names of the subcharts in charts/: directories by their Chart.yaml, archives by name."""
    names: set[str] = set()
    if not charts.is_dir():
        return names
    for entry in charts.iterdir():
        if entry.is_dir():
            meta = read(entry / "Chart.yaml")
            name = meta.data.get("name") if meta else None
            names.add(name if isinstance(name, str) else entry.name)
        elif entry.name.endswith(".tgz"):
            names.add(_archive_name(entry))
    return names


def _archive_name(archive: Path) -> str:
    """The name a packaged subchart's top folder has (Helm packages NAME/ as NAME-VERSION.tgz)."""
    try:
        with tarfile.open(archive, "r:*") as bundle:
            first = bundle.next()
            if first is not None and "/" in first.name:
                return first.name.split("/", 1)[0]
    except (OSError, tarfile.TarError, EOFError):
        pass
    match = _ARCHIVE_RE.match(archive.name)
    return match.group("name") if match else archive.name


def _enabled(entry: dict[str, Any], values: dict[str, Any]) -> tuple[bool, str]:
    enabled, why = True, "no condition or tag disables it"
    declared_tags = values.get("tags")
    tags: dict[str, Any] = declared_tags if isinstance(declared_tags, dict) else {}
    states = [tags.get(t) for t in entry.get("tags") or [] if isinstance(tags.get(t), bool)]
    if states:
        enabled = True in states
        why = "tags: " + ", ".join(str(t) for t in entry.get("tags") or [])
    condition = entry.get("condition")
    for path in str(condition).split(",") if isinstance(condition, str) else []:
        value = _path_value(values, path.strip())
        if isinstance(value, bool):
            return value, f"{path.strip()}={str(value).lower()}"
    return enabled, why


def _path_value(values: dict[str, Any], path: str) -> Any:
    current: Any = values
    for part in path.split("."):
        if not isinstance(current, dict) or part not in current:
            return None
        current = current[part]
    return current
