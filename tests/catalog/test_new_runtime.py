"""A new runtime is one YAML file: a copy of the chartgen package with only
chartgen/catalog/runtimes/llamacpp.yaml added builds a spec for it, lints it clean, and init offers
it. (Committed, derived files - docs/runtimes.md, schemas/, docs/spec.md - are regenerated
separately; docs/runtimes.md says how.)"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
PACKAGE = HERE.parents[1] / "chartgen"
SPEC = """\
apiVersion: chartgen/v1
kind: ModelService
metadata:
  name: tiny-llama
spec:
  runtime: llamacpp
  model:
    source: hf://ggml-org/Qwen2.5-0.5B-Instruct-GGUF
    sizeGiB: 1
    format: gguf
  resources:
    gpu:
      count: 1
      product: L4
"""


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("catalog-copy")
    shutil.copytree(PACKAGE, root / "chartgen", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(HERE / "new-runtime" / "llamacpp.yaml", root / "chartgen/catalog/runtimes/")
    (root / "tiny-llama.yaml").write_text(SPEC, encoding="utf-8")
    return root


def _chartgen(tree: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [sys.executable, "-m", "chartgen", *args],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_copy_is_the_one_in_use(tree: Path) -> None:
    done = _chartgen(tree, "--version")
    assert done.returncode == 0, done.stderr
    probe = subprocess.run(
        [sys.executable, "-c", "import chartgen; print(chartgen.__file__)"],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.startswith(str(tree))


def test_builds_and_lints_clean(tree: Path) -> None:
    built = _chartgen(tree, "build", "tiny-llama.yaml", "-o", "charts")
    assert built.returncode == 0, built.stderr
    args = (tree / "charts/tiny-llama/values.yaml").read_text(encoding="utf-8")
    assert "/app/llama-server" in args and "--hf-repo" in args and "--alias" in args
    linted = _chartgen(tree, "lint", "--fail-on", "info", "--format", "json", "tiny-llama.yaml")
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert json.loads(linted.stdout)["results"] == []


def test_init_offers_it(tree: Path) -> None:
    done = _chartgen(tree, "init", "svc", "--runtime", "llamacpp", "--gpus", "1")
    assert done.returncode == 0, done.stderr
    assert "runtime: llamacpp" in done.stdout
