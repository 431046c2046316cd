"""Helm rendering behind one interface: the embedded engine (in-process Helm SDK) or the helm CLI."""

from __future__ import annotations

from chartgen.helm.engine import HelmEngine, RenderedDoc, get_engine

__all__ = ["HelmEngine", "RenderedDoc", "get_engine"]
