"""Linting a spec judges its chart by the generator's plan, not by a re-parse of the YAML."""

from __future__ import annotations

from pathlib import Path

import yaml

from chartgen.chart.build import generate
from chartgen.spec import check_specs
from tests.lint.conftest import Cli

SPARE_GPU_SPEC = """\
apiVersion: chartgen/v1
kind: ModelService
metadata:
  name: spare-gpu
spec:
  runtime: vllm
  model:
    source: hf://Qwen/Qwen2.5-7B-Instruct@a09a35458c702b33eeacc393d103063234e8bc28
    sizeGiB: 15
    cache:
      type: pvc
      accessMode: ReadWriteMany
      storageClass: shared-rwx
      size: 40Gi
  resources:
    gpu:
      count: 1
      product: L4
  replicas: 2
  rollout:
    spareGpus: 1
"""


def _spec(tmp_path: Path) -> Path:
    path = tmp_path / "spare-gpu.yaml"
    path.write_text(SPARE_GPU_SPEC, encoding="utf-8")
    return path


def test_spare_gpus_surge_rollout_builds_and_lints_clean(tmp_path: Path, cli: Cli) -> None:
    spec = _spec(tmp_path)
    (document,), _ = check_specs([spec])
    built = generate(document, tmp_path / "out")
    values = yaml.safe_load(built.files["values.yaml"])
    assert values["strategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0},
    }
    assert values["podAnnotations"]["chartgen.dev/spare-gpus"] == "1"
    assert built.plan.scaling.spare_gpus == 1
    run = cli("lint", "--format", "json", spec)
    assert [(r["ruleId"], r["message"]) for r in run.results()] == []
    assert run.code == 0


def test_the_built_chart_alone_carries_the_spare_gpu_fact(tmp_path: Path, cli: Cli) -> None:
    """Without the spec, the rendered pod annotation tells the rule about the spare GPU."""
    out = tmp_path / "charts"
    assert cli("build", _spec(tmp_path), "-o", out).code == 0
    run = cli("lint", "--format", "json", out / "spare-gpu")
    assert [r["ruleId"] for r in run.results("gpu-rolling-update-needs-spare")] == []
