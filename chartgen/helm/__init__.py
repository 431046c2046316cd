"""Helm rendering behind one interface: the embedded engine (Helm's Go code in a sandboxed worker
process: chartgen-render, built from render-worker/, or the Helm SDK for Python) or the helm CLI.

The names resolve on first use: the SDK worker process (chartgen.helm.worker) starts without
loading the engine modules.
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
