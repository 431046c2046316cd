"""Helm rendering behind one interface: the embedded engine (in-process Helm SDK) or the helm CLI.

The names resolve on first use: the sandboxed worker process (chartgen.helm.worker) starts
without loading the engine modules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chartgen.helm.engine import HelmEngine, RenderedDoc, get_engine

__all__ = ["HelmEngine", "RenderedDoc", "get_engine"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from chartgen.helm import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'chartgen.helm' has no attribute {name!r}")
