"""What the paths given to `chartgen lint` are: charts, chart archives, manifests, specs, stdin."""

from __future__ import annotations

import os
import re
import tarfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from chartgen.errors import UserError
from chartgen.rules.support.config import CONFIG_NAMES
from chartgen.spec.problems import SpecProblem

if TYPE_CHECKING:
    from chartgen.model.plan import ServingPlan

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
ARCHIVE_SUFFIXES = (".tgz", ".tar.gz")
STDIN = "-"
_SPEC_RE = re.compile(r"^apiVersion:\s*[\"']?chartgen/", re.MULTILINE)


@dataclass(frozen=True)
class InputPath:
    kind: str  # chart | archive | manifest | spec | stdin
    path: Path
    display: str


def classify(paths: Sequence[str]) -> list[InputPath]:
    """Each argument -> inputs; directories without Chart.yaml are searched for charts/manifests."""
    found: list[InputPath] = []
    for raw in paths:
        if raw == STDIN:
            found.append(InputPath("stdin", Path(STDIN), "<stdin>"))
            continue
        path = Path(raw)
        if not path.exists():
            raise UserError(f"{raw}: no such file or directory")
        found.extend(_walk(path, raw) if path.is_dir() else [_file_input(path, raw)])
    return found


def _walk(root: Path, raw: str) -> list[InputPath]:
    if (root / "Chart.yaml").is_file():
        return [InputPath("chart", root, raw)]
    found: list[InputPath] = []
    for current, dirs, files in os.walk(root):
        here = Path(current)
        charts = sorted(d for d in dirs if (here / d / "Chart.yaml").is_file())
        found += [InputPath("chart", here / d, _shown(raw, root, here / d)) for d in charts]
        dirs[:] = sorted(d for d in dirs if d not in charts and not d.startswith("."))
        for name in sorted(files):
            if name.lower().endswith(MANIFEST_SUFFIXES) and name not in CONFIG_NAMES:
                found.append(_file_input(here / name, _shown(raw, root, here / name)))
    return found


def _shown(raw: str, root: Path, path: Path) -> str:
    return str(PurePosixPath(raw) / path.relative_to(root).as_posix())


def _file_input(path: Path, display: str) -> InputPath:
    if path.name.endswith(ARCHIVE_SUFFIXES):
        return InputPath("archive", path, display)
    if path.suffix.lower() in (".yaml", ".yml") and _is_spec(path):
        return InputPath("spec", path, display)
    return InputPath("manifest", path, display)


def _is_spec(path: Path) -> bool:
    return bool(_SPEC_RE.search(read_text(path)))


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not a UTF-8 text file") from exc
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from exc


def extract_archive(archive: Path, into: Path) -> Path:
    """Unpack a packaged chart safely; returns the chart directory inside."""
    try:
        with tarfile.open(archive, "r:*") as bundle:
            members = [m for m in bundle.getmembers() if _safe_member(m)]
            for member in members:
                bundle.extract(member, into)
    except (tarfile.TarError, OSError) as exc:
        raise UserError(f"{archive}: not a readable chart archive: {exc}") from exc
    charts = sorted(p.parent for p in into.glob("*/Chart.yaml"))
    if not charts:
        raise UserError(f"{archive}: no Chart.yaml inside")
    return charts[0]


def _safe_member(member: tarfile.TarInfo) -> bool:
    parts = PurePosixPath(member.name).parts
    return (
        (member.isfile() or member.isdir())
        and not member.name.startswith("/")
        and ".." not in parts
    )


def spec_charts(
    spec: Path, out_dir: Path
) -> tuple[list[tuple[Path, ServingPlan]], list[SpecProblem]]:
    """Build the chart(s) of a chartgen spec file, each with the plan the generator decided;
    also return the spec's own warnings."""
    from chartgen.chart.build import generate
    from chartgen.chart.writer import write_chart
    from chartgen.spec import check_specs

    documents, warnings = check_specs([spec])
    built = [generate(document, out_dir) for document in documents]
    for chart in built:
        write_chart(chart.files, chart.directory)
    return [(chart.directory, chart.plan) for chart in built], warnings
