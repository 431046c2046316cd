"""Spec test helpers: run the real `chartgen` CLI in-process (exit-code mapping included)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
MALFORMED = HERE / "malformed"


def run_cli(*args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `chartgen ARGS`, through chartgen.cli.main."""
    from chartgen.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
    return code, out.getvalue(), err.getvalue()


VALID_SPEC = """\
apiVersion: chartgen/v1
kind: ModelService
metadata:
  name: llama
  labels: {team: ml}
spec:
  runtime: vllm
  platform: gke
  model:
    source: hf://Qwen/Qwen2.5-7B-Instruct@main
    sizeGiB: 16
    cache: {type: per-replica, size: 40Gi}
  engine:
    tensorParallel: 2
    extraArgs: [--enable-prefix-caching]
  resources:
    cpu: "8"
    memory: 32Gi
    gpu: {count: 2, product: L4}
  autoscaling: {enabled: true, minReplicas: 1, maxReplicas: 3}
  env:
    - {name: LOG_LEVEL, value: info}
  exposure: {type: ingress, host: llm.example.com}
"""


@pytest.fixture
def valid_spec(tmp_path: Path) -> Path:
    path = tmp_path / "llama.yaml"
    path.write_text(VALID_SPEC)
    return path
