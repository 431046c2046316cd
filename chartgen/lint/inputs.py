"""What the paths given to `chartgen lint` are: charts, chart archives, manifests, specs, stdin."""

from __future__ import annotations

import json
import os
import re
import shutil
import tarfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from chartgen.errors import UserError
from chartgen.findings import Finding
from chartgen.limits import (
    MAX_ARCHIVE_BYTES,
    MAX_ARCHIVE_FILE_BYTES,
    MAX_ARCHIVE_MEMBERS,
    MIB,
    read_input_text,
)
from chartgen.rules.support.config import CONFIG_NAMES

if TYPE_CHECKING:
    from chartgen.model.plan import ServingPlan

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
SPEC_SUFFIXES = (".yaml", ".yml", ".json")
ARCHIVE_SUFFIXES = (".tgz", ".tar.gz")
STDIN = "-"
STDIN_NAME = "<stdin>"
_SPEC_RE = re.compile(r"^apiVersion:\s*[\"']?chartgen/", re.MULTILINE)


@dataclass(frozen=True)
class InputPath:
    kind: str  # chart | archive | manifest | spec | stdin
    path: Path
    display: str
    stdin_spec: bool = False  # a spec read from stdin (path: the scratch copy)
    text: str = ""  # stdin's text, once read


def classify(paths: Sequence[str]) -> list[InputPath]:
    """Each argument -> inputs; directories without Chart.yaml are searched for charts/manifests."""
    found: list[InputPath] = []
    for raw in paths:
        if raw == STDIN:
            found.append(InputPath("stdin", Path(STDIN), STDIN_NAME))
            continue
        path = Path(raw)
        try:
            path.stat()
        except FileNotFoundError:
            raise UserError(f"{raw}: no such file or directory") from None
        except OSError as exc:
            raise UserError(f"{raw}: {exc.strerror or 'cannot read'}") from None
        found.extend(_directory_inputs(path, raw) if path.is_dir() else [_file_input(path, raw)])
    return found


def _directory_inputs(root: Path, raw: str) -> list[InputPath]:
    """A directory with nothing to lint is bad input, not a clean pass (a wrong path in CI)."""
    found = _walk(root, raw)
    if not found:
        raise UserError(
            f"{raw}: nothing to lint (no Chart.yaml, chartgen spec or *.yaml/*.yml/*.json manifest)"
        )
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
    if path.suffix.lower() in SPEC_SUFFIXES and looks_like_spec(read_text(path, display)):
        return InputPath("spec", path, display)
    return InputPath("manifest", path, display)


def looks_like_spec(text: str) -> bool:
    """A chartgen spec, in YAML or in JSON form (a BOM is already dropped by the reader)."""
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return False
        return isinstance(data, dict) and str(data.get("apiVersion", "")).startswith("chartgen/")
    return bool(_SPEC_RE.search(text))


def read_text(path: Path, shown: str = "") -> str:
    """A regular file of at most the input budget, as UTF-8 text; one-line UserError otherwise."""
    return read_input_text(path, shown=shown or str(path))


def extract_archive(archive: Path, into: Path, display: str = "") -> list[Path]:
    """Unpack a packaged chart with Helm's own limits applied while extracting (per file, in
    total, member count); returns every chart directory at its top level."""
    shown = display or str(archive)
    into.mkdir(parents=True, exist_ok=True)
    try:
        with tarfile.open(archive, "r:*") as bundle:
            _extract_members(bundle, into, shown)
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise UserError(f"{shown}: not a readable chart archive: {_reason(exc)}") from None
    except OSError as exc:
        raise UserError(f"{shown}: not a readable chart archive: {_reason(exc)}") from None
    charts = sorted(p.parent for p in into.glob("*/Chart.yaml"))
    if not charts:
        raise UserError(f"{shown}: no Chart.yaml inside (expected NAME/Chart.yaml)")
    return charts


def _extract_members(bundle: tarfile.TarFile, into: Path, shown: str) -> None:
    total = 0
    for count, member in enumerate(bundle, start=1):
        if count > MAX_ARCHIVE_MEMBERS:
            raise UserError(f"{shown}: more than {MAX_ARCHIVE_MEMBERS} entries")
        if not _safe_member(member):
            continue
        target = into / member.name
        if member.isdir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        if member.size > MAX_ARCHIVE_FILE_BYTES:
            raise UserError(
                f"{shown}!/{member.name}: larger than Helm's {MAX_ARCHIVE_FILE_BYTES // MIB} MiB "
                "file limit"
            )
        total += member.size
        if total > MAX_ARCHIVE_BYTES:
            raise UserError(
                f"{shown}: unpacks to more than Helm's {MAX_ARCHIVE_BYTES // MIB} MiB chart limit"
            )
        source = bundle.extractfile(member)
        if source is None:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with source, open(target, "wb") as sink:
            shutil.copyfileobj(source, sink, MIB)


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    if isinstance(exc, EOFError) or "compressed file ended" in text or "unexpected end" in text:
        return "truncated (the archive ends early)"
    return " ".join(text.split())


def _safe_member(member: tarfile.TarInfo) -> bool:
    parts = PurePosixPath(member.name).parts
    return (
        (member.isfile() or member.isdir())
        and not member.name.startswith("/")
        and ".." not in parts
    )


def spec_charts(spec: Path, out_dir: Path) -> tuple[list[tuple[Path, ServingPlan]], list[Finding]]:
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
