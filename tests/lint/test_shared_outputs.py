"""Large outputs a chart's values variants render alike (an operator's CRDs) cross the worker's
pipe once: later replies name them by digest, and the engine puts the same text back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chartgen.helm.embedded import EmbeddedEngine
from chartgen.helm.engine import RenderOptions
from chartgen.helm.worker import SHARED_BYTES


def _chart(root: Path) -> Path:
    chart = root / "operator"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: operator\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text("replicas: 1\n")
    description = "x" * 100
    crds = "".join(
        f"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\ndata:\n  d: {description}\n"
        for i in range(SHARED_BYTES // 100)
    )
    (chart / "templates" / "crds.yaml").write_text(crds)
    (chart / "templates" / "deploy.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: r\ndata:\n"
        "  replicas: {{ .Values.replicas | quote }}\n"
    )
    (chart / "ci").mkdir()
    (chart / "ci" / "two-values.yaml").write_text("replicas: 2\n")
    return chart


def _replies(engine: EmbeddedEngine, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    resolve = engine._resolve

    def recorded(reply: dict[str, Any]) -> None:
        seen.append({key: dict(value) for key, value in reply.items() if key in ("sent", "same")})
        resolve(reply)

    monkeypatch.setattr(engine, "_resolve", recorded)
    return seen


def test_a_large_output_rendered_alike_is_sent_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chart = _chart(tmp_path)
    engine = EmbeddedEngine(reuse=True)
    replies = _replies(engine, monkeypatch)
    first = engine.render(chart, RenderOptions())
    second = engine.render(chart, RenderOptions(value_files=(chart / "ci" / "two-values.yaml",)))
    big = "operator/templates/crds.yaml"
    assert list(replies[0]["sent"]) == [big] and replies[0]["same"] == {}
    assert replies[1] == {"sent": {}, "same": {big: replies[0]["sent"][big]}}
    shared = [doc for doc in first if doc.source == big]
    assert len(shared) == SHARED_BYTES // 100
    assert [doc for doc in second if doc.source == big] == shared  # the same documents
    replicas = [doc.text for doc in second if doc.source.endswith("deploy.yaml")]
    assert replicas == [
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: r\ndata:\n  replicas: "2"\n'
    ]


def test_an_engine_not_reusing_renders_gets_every_output_in_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chart = _chart(tmp_path)
    reference = EmbeddedEngine()
    calls: list[object] = []
    monkeypatch.setattr(reference, "_resolve", calls.append)
    first = reference.render(chart, RenderOptions())
    again = reference.render(chart, RenderOptions(value_files=(chart / "ci" / "two-values.yaml",)))
    assert calls == []
    assert [d.text for d in first if "crds" in d.source] == [
        d.text for d in again if "crds" in d.source
    ]
