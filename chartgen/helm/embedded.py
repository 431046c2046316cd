"""In-process rendering through Helm's own Go SDK (helm-python-sdk): no helm binary needed."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from chartgen.errors import UserError
from chartgen.helm.engine import (
    LintMessage,
    RenderedDoc,
    RenderOptions,
    deep_merge,
    load_value_files,
    split_documents,
)

_SEVERITY = {0: "info", 1: "info", 2: "warning", 3: "error"}


class RenderError(UserError):
    """A chart failed to render; the message is Helm's own (it names template file and line)."""


class EmbeddedEngine:
    name = "embedded"

    def __init__(self) -> None:
        import helm_python

        helm_python.disable_logging()
        self._helm = helm_python
        self._charts: dict[Path, Any] = {}  # loaded once per engine: variants share the chart
        self._lock = threading.Lock()

    def _load(self, chart: Path) -> Any:
        key = chart.resolve()
        with self._lock:
            if key not in self._charts:
                self._charts[key] = self._helm.Chart.load(chart)
            return self._charts[key]

    def user_values(self, options: RenderOptions) -> dict[str, Any]:
        values = load_value_files(options.value_files)
        for expression in options.set_values:
            try:
                values = deep_merge(values, self._helm.parse_set_string(expression))
            except self._helm.HelmError as exc:
                raise UserError(f"invalid --set {expression!r}: {exc}") from exc
        return values

    def render(self, chart: Path, options: RenderOptions) -> list[RenderedDoc]:
        values = self.user_values(options)
        try:
            # Chart.render checks values.schema.json itself (Helm's own message).
            files = self._load(chart).render(
                values, name=options.release, namespace=options.namespace
            )
        except self._helm.HelmChartLoadError as exc:
            raise UserError(f"{chart}: not a loadable chart: {exc}") from exc
        except self._helm.HelmError as exc:
            raise RenderError(_one_line(exc)) from exc
        docs: list[RenderedDoc] = []
        for source in sorted(files):
            if source.endswith("NOTES.txt"):
                continue
            docs.extend(split_documents(source, files[source]))
        return docs

    def lint(self, chart: Path, options: RenderOptions, *, strict: bool) -> list[LintMessage]:
        values = self.user_values(options)
        kube = f"v{options.kube_version.lstrip('v')}" if options.kube_version else None
        report = self._helm.lint(
            str(chart),
            values or None,
            strict=strict,
            namespace=options.namespace,
            kube_version=kube,
        )
        messages = [
            LintMessage(_SEVERITY.get(int(m["severity"]), "info"), str(m["path"]), str(m["error"]))
            for m in report.get("messages", [])
        ]
        messages += [LintMessage("error", str(chart), str(e)) for e in report.get("errors", [])]
        return messages


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())
