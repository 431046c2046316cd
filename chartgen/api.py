"""The public Python API, for teams that drive chartgen from their own tooling."""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike
from pathlib import Path

StrPath = str | PathLike[str]


def build(specs: Sequence[StrPath], out_dir: StrPath = "generated-charts") -> list[Path]:
    """Build one chart per spec (files or directories of specs); returns the chart directories.

    Raises chartgen.errors.SpecErrors (a UserError) with every problem of every spec file.
    """
    from chartgen.chart.build import build_chart
    from chartgen.spec import load_specs

    documents = load_specs([Path(s) for s in specs])
    return [build_chart(doc, Path(out_dir)) for doc in documents]


def stale_charts(specs: Sequence[StrPath], out_dir: StrPath = "generated-charts") -> list[Path]:
    """Chart directories that are missing or differ from what `build` would write (`build --check`)."""
    from chartgen.chart.build import generate, stale_paths
    from chartgen.spec import load_specs

    documents = load_specs([Path(s) for s in specs])
    built = [generate(doc, Path(out_dir)) for doc in documents]
    return [chart.directory for chart in built if stale_paths(chart)]
