"""chartgen: ML model-serving spec → production-grade Helm chart, plus an offline chart linter.

Public API (imported lazily so `chartgen --version` stays fast):
    chartgen.build(specs, out_dir) -> list[Path]
    chartgen.stale_charts(specs, out_dir) -> list[Path]
"""

from __future__ import annotations

from typing import Any

from chartgen._version import __version__

__all__ = ["__version__", "build", "stale_charts"]


def __getattr__(name: str) -> Any:
    if name in ("build", "stale_charts"):
        from chartgen import api

        return getattr(api, name)
    raise AttributeError(f"module 'chartgen' has no attribute {name!r}")
