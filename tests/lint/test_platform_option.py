"""`chartgen lint --platform NAME[/POOL]`: which GPU nodes node-label rules judge against."""

from __future__ import annotations

from pathlib import Path

from tests.lint.conftest import Cli

FROZEN = Path(__file__).resolve().parents[1] / "rules" / "frozen-2471155"
RULE = "node-label-not-on-platform"


def test_the_chart_annotation_names_the_platform_and_the_default_variant_judges(cli: Cli) -> None:
    run = cli("lint", "--format", "json", FROZEN / "qwen-sglang")
    (found,) = run.results(RULE)
    assert "eks managed-node-group" in found["message"]


def test_the_variant_given_on_the_command_line_wins(cli: Cli) -> None:
    assert (
        cli(
            "lint", "--format", "json", "--platform", "eks/karpenter", FROZEN / "qwen-sglang"
        ).results(RULE)
        == []
    )
    (found,) = cli(
        "lint", "--format", "json", "--platform", "eks/auto-mode", FROZEN / "qwen-sglang"
    ).results(RULE)
    assert "eks auto-mode" in found["message"]


def test_unknown_platform_or_variant_is_bad_input(cli: Cli) -> None:
    for target in ("nope", "eks/nope"):
        run = cli("lint", "--platform", target, FROZEN / "qwen-sglang")
        assert run.code == 2 and "known" in run.err, run.err


MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: server}
spec:
  template:
    spec:
      nodeSelector:
        karpenter.k8s.aws/instance-gpu-name: a10g
      containers:
        - name: server
          image: vllm/vllm-openai:v0.25.0
          resources:
            limits: {nvidia.com/gpu: 1}
"""


def test_platform_without_variant_detects_it_from_the_labels(cli: Cli, tmp_path: Path) -> None:
    """A chart naming no variant, linted with `--platform eks`: the Karpenter label makes it the
    Karpenter variant, so the label is fine and its taint is what the pod must tolerate."""
    manifest = tmp_path / "deployment.yaml"
    manifest.write_text(MANIFEST)
    run = cli("lint", "--format", "json", "--platform", "eks", manifest)
    assert run.results(RULE) == []
    (taint,) = run.results("gpu-toleration-missing")
    assert taint["message"].endswith("taints of eks karpenter: nvidia.com/gpu=true:NoSchedule")
    declared = cli("lint", "--format", "json", "--platform", "eks/managed-node-group", manifest)
    (found,) = declared.results(RULE)
    assert "eks managed-node-group GPU nodes do not carry" in found["message"]
    assert declared.results("gpu-toleration-missing") == []  # managed node groups: no taint
