"""Issue 14's model caches on emptyDir: the re-download on every new pod and the unbounded
40 GB download are both drawn, by the rules that own them (no new rule needed)."""

from __future__ import annotations

from pathlib import Path

from tests.rules.fixture_files import findings

MANIFEST = """\
# A 70B model pulled from the hub at start into an emptyDir without sizeLimit.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: llama
  annotations: {chartgen.dev/model-size-gib: "40"}
spec:
  template:
    spec:
      containers:
        - name: server
          image: vllm/vllm-openai:v0.25.0
          args: [--model, meta-llama/Llama-3.3-70B-Instruct]
          env:
            - {name: HF_HOME, value: /cache}
          resources:
            limits: {nvidia.com/gpu: 1}
          volumeMounts:
            - {name: cache, mountPath: /cache}
      volumes:
        - name: cache
          emptyDir: {}
"""


def test_emptydir_model_cache_draws_redownload_and_unbounded_findings(tmp_path: Path) -> None:
    path = tmp_path / "llama.yaml"
    path.write_text(MANIFEST, encoding="utf-8")
    found = {f.rule_id: f.message for f in findings(path)}
    # re-download: an emptyDir dies with the pod (rollout, reschedule, scale-up)
    assert "on every start" in found["model-download-without-cache"]
    # unbounded: 40 GiB into node ephemeral storage, nothing requested
    assert "without a sizeLimit" in found["model-cache-on-unbounded-emptydir"]
    assert "model-download-without-disk-budget" in found
