"""Rendering through Helm's own Go SDK (helm-python-sdk): no helm binary needed.

The SDK runs in worker processes (chartgen/helm/sandbox.py) under a time and memory bound: a
chart's templates are code, and one that loops or allocates without end must not hang or abort
chartgen. Values files and --set are read here, under the input budget, and sent as JSON.
"""

from __future__ import annotations

import itertools
import json
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from chartgen.errors import UserError
from chartgen.helm.engine import (
    Rendered,
    RenderedDoc,
    RenderOptions,
    deep_merge,
    helm_warnings,
    load_value_files,
    split_documents,
)
from chartgen.helm.sandbox import POOL, Limits, WorkerDied
from chartgen.helm.worker import SHARED_BYTES

_GENERATIONS = itertools.count(1)
_REUSE_BYTES = 4 * 1024 * 1024  # larger renders are not kept for reuse (memory)


class RenderError(UserError):
    """A chart failed to render; the message is Helm's own (it names template file and line)."""


class RenderLimitError(RenderError):
    """A render went past its time, memory or output bound ("render exceeded ...")."""


class EmbeddedEngine:
    name = "embedded"

    def __init__(self, limits: Limits | None = None, *, reuse: bool = False) -> None:
        self.limits = limits or Limits()
        # charts are loaded once per engine in each worker: variants share the chart
        self.generation = f"{id(self)}-{next(_GENERATIONS)}"
        # values variants often render the same request (ci/default-values.yaml is `{}`)
        self._renders: dict[str, Future[Rendered]] | None = {} if reuse else None
        self._lock = threading.Lock()
        # and the same large outputs (CRDs): the worker sends each once (worker.py `_shared`)
        self._texts: dict[str, str] = {}
        self._documents: dict[tuple[str, str], list[RenderedDoc]] = {}

    def user_values(self, options: RenderOptions) -> dict[str, Any]:
        return user_values(options)

    def _call(self, request: dict[str, Any], chart: Path) -> tuple[Any, str]:
        """The worker's answer, and what Helm printed to stderr meanwhile."""
        share = self._renders is not None
        request = {**request, "chart": str(chart), "generation": self.generation, "share": share}
        try:
            reply = POOL.call(self.limits, request, self._resolve if share else None)
        except WorkerDied as exc:
            raise RenderLimitError(exc.message) from None
        if "ok" in reply:
            return reply["ok"], str(reply.get("log", ""))
        message = _one_line(str(reply.get("message", "")))
        if reply.get("error") == "load":
            raise UserError(f"{chart}: not a loadable chart: {message}")
        if reply.get("error") == "limit":
            raise RenderLimitError(message)
        raise RenderError(message)

    def render(self, chart: Path, options: RenderOptions) -> Rendered:
        values = self.user_values(options)
        # Chart.render checks values.schema.json itself (Helm's own message).
        request = {
            "op": "render",
            "values": values,
            "release": options.release,
            "namespace": options.namespace,
            "kube_version": _kube(options),
        }
        if self._renders is None:
            return self._render(request, chart)
        key = json.dumps([str(chart), request], ensure_ascii=False, default=str)
        with self._lock:
            shared = self._renders.get(key)
            if shared is None:
                owned: Future[Rendered] = Future()
                self._renders[key] = owned
        if shared is not None:
            return shared.result()  # Helm's error, if it failed, raised again here
        try:
            docs = self._render(request, chart)
        except BaseException as exc:
            owned.set_exception(exc)
            raise
        owned.set_result(docs)
        if sum(len(doc.text) for doc in docs) > _REUSE_BYTES:
            with self._lock:
                self._renders.pop(key, None)
        return docs

    def _resolve(self, reply: dict[str, Any]) -> None:
        """Keep the large outputs a reply carries; put back those it names by digest (the
        worker is still held: no later reply can name a text before it is kept here)."""
        files = reply.get("ok")
        if not isinstance(files, dict):
            return
        for name, digest in reply.get("sent", {}).items():
            self._texts[digest] = files[name]
        for name, digest in reply.get("same", {}).items():
            files[name] = self._texts[digest]

    def _render(self, request: dict[str, Any], chart: Path) -> Rendered:
        files, log = self._call(request, chart)
        docs = Rendered()
        docs.warnings = helm_warnings(log)
        for source in sorted(files):
            if not source.endswith("NOTES.txt"):
                docs.extend(self._split(source, files[source]))
        return docs

    def _split(self, source: str, text: str) -> list[RenderedDoc]:
        """A template's documents; a large output another render gave alike is split once."""
        if len(text) < SHARED_BYTES or self._renders is None:
            return split_documents(source, text)
        key = (source, text)  # a text put back by _resolve is the same object: hashed once
        with self._lock:
            found = self._documents.get(key)
        if found is None:
            found = split_documents(source, text)
            with self._lock:
                self._documents[key] = found
        return found


def user_values(options: RenderOptions) -> dict[str, Any]:
    """The values files merged in order, then each --set (Helm's own parser)."""
    values = load_value_files(options.value_files)
    if not options.set_values:
        return values
    import helm_python  # --set parsing only: no chart code runs here

    for expression in options.set_values:
        try:
            values = deep_merge(values, helm_python.parse_set_string(expression))
        except helm_python.HelmError as exc:
            raise UserError(f"invalid --set {expression!r}: {exc}") from exc
    return values


def _kube(options: RenderOptions) -> str | None:
    """`.Capabilities.KubeVersion` for the templates, in the `vX.Y.Z` form Helm parses."""
    return f"v{options.kube_version.lstrip('v')}" if options.kube_version else None


def _one_line(text: str) -> str:
    return " ".join(text.split())
