"""Semantic checks of what clients see of the server: API keys, engine settings, LoRA adapters,
model-aware routing - each against the chosen runtime's catalog profile."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chartgen.findings import Issue
from chartgen.spec.issues import ERROR, get, issue


def check_auth(doc: dict[str, Any]) -> Iterator[Issue]:
    from chartgen import catalog

    if get(doc, "spec.auth.apiKey") is None:
        return
    name = str(get(doc, "spec.runtime"))
    if catalog.runtime(name).api_key is None:
        takes = sorted(r for r in catalog.runtime_names() if catalog.runtime(r).api_key)
        yield issue(
            ERROR,
            "$.spec.auth.apiKey",
            f"runtime {name} takes no API key in chartgen's catalog (runtimes that do: "
            f"{', '.join(takes)}); put an authenticating proxy or gateway in front instead",
        )
