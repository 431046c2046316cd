"""Changed files -> chart roots, specs and manifests to lint (`chartgen lint --pre-commit`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from chartgen.lint.precommit import chart_root, lint_targets


@pytest.fixture()
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    files = {
        "charts/llm/Chart.yaml": "apiVersion: v2\nname: llm\nversion: 0.1.0\n",
        "charts/llm/values.yaml": "replicaCount: 1\n",
        "charts/llm/templates/deployment.yaml": "kind: Deployment\n",
        "charts/llm/templates/_helpers.tpl": '{{- define "x" -}}{{- end }}\n',
        "charts/llm/ci/gpu-values.yaml": "gpus: 2\n",
        "charts/llm/charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
        "charts/llm/charts/sub/values.yaml": "a: 1\n",
        "specs/llama.yaml": "apiVersion: chartgen/v1\nkind: ModelService\n",
        "manifests/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n",
        ".github/workflows/ci.yaml": "name: ci\non: push\n",
        ".chartgen.yaml": "rules: {}\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_files_map_to_their_chart_once_in_first_seen_order(tree: Path) -> None:
    changed = [
        "specs/llama.yaml",
        "charts/llm/templates/deployment.yaml",
        "charts/llm/values.yaml",
        "charts/llm/templates/_helpers.tpl",
        "charts/llm/ci/gpu-values.yaml",
        "charts/llm/charts/sub/values.yaml",
        "manifests/pod.yaml",
        ".github/workflows/ci.yaml",
        ".chartgen.yaml",
        "charts/llm/templates/deleted.yaml",
    ]
    assert lint_targets(changed) == [
        "specs/llama.yaml",
        "charts/llm",
        "charts/llm/charts/sub",
        "manifests/pod.yaml",
    ]


def test_chart_root_walks_up_to_the_nearest_chart(tree: Path) -> None:
    assert chart_root(Path("charts/llm/templates/deployment.yaml")) == Path("charts/llm")
    assert chart_root(Path("specs/llama.yaml")) is None


def test_nothing_to_lint_for_unrelated_files(tree: Path) -> None:
    assert lint_targets([".github/workflows/ci.yaml", os.devnull]) == []
