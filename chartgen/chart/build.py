"""The main job: spec documents -> chart directories (or in-memory files for --check)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from chartgen.chart.files import chart_files
from chartgen.chart.writer import differences, unified_diff, write_chart
from chartgen.model.plan import ServingPlan
from chartgen.model.resolve import resolve

if TYPE_CHECKING:
    from chartgen.spec import SpecDocument


@dataclass(frozen=True)
class BuiltChart:
    name: str
    spec: Path
    directory: Path
    files: dict[str, str]
    plan: ServingPlan


def generate(doc: SpecDocument, out_dir: Path) -> BuiltChart:
    """Resolve one spec and lay out its chart files in memory."""
    plan = resolve(doc.data)
    spec_label = doc.path.name  # not the full path: the chart must not depend on where it was built
    return BuiltChart(
        plan.name, doc.path, out_dir / plan.name, chart_files(plan, doc.data, spec_label), plan
    )


def build_chart(doc: SpecDocument, out_dir: Path) -> Path:
    """Write the chart of one spec under `out_dir`; returns the chart directory."""
    built = generate(doc, out_dir)
    write_chart(built.files, built.directory)
    return built.directory


def stale_paths(built: BuiltChart) -> list[str]:
    return differences(built.files, built.directory)


def diff_text(built: BuiltChart) -> str:
    return unified_diff(built.files, built.directory)
