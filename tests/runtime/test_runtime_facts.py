"""Finding 10: native preStop sleep, no cache volume for runtimes that read their own repository,
vLLM's compile caches on the cache volume, gated repositories, unmaintained runtimes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.chart.helpers import EXAMPLES
from tests.runtime.charts import (
    new_build,
    new_chart,
    new_run,
    of_kind,
    old_chart,
    old_run,
    render,
    server_container,
)


def pre_stop(objs: list[dict[str, Any]]) -> dict[str, Any]:
    handler: dict[str, Any] = server_container(objs)["lifecycle"]["preStop"]
    return handler


def test_pre_stop_uses_the_kubelet_sleep_from_1_30(helm3: Path) -> None:
    assert pre_stop(render(helm3, new_chart("llama-8b"))) == {"sleep": {"seconds": 15}}


def test_pre_stop_needed_a_sleep_binary_before(helm3: Path, tmp_path: Path) -> None:
    handler = pre_stop(render(helm3, old_chart("llama-8b", tmp_path)))
    assert handler == {"exec": {"command": ["sleep", "15"]}}  # absent from distroless images


def test_pre_stop_keeps_exec_below_1_30(helm3: Path, tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        (EXAMPLES / "vllm-llama-8b.yaml")
        .read_text()
        .replace("runtime: vllm", 'runtime: vllm\n  kubeVersion: "1.29"', 1)
    )
    assert "exec" in pre_stop(render(helm3, new_build(spec, tmp_path)))


def claims(objs: list[dict[str, Any]]) -> list[str]:
    names = [o["metadata"]["name"] for o in of_kind(objs, "PersistentVolumeClaim")]
    for workload in of_kind(objs, "StatefulSet"):
        names += [t["metadata"]["name"] for t in workload["spec"].get("volumeClaimTemplates", [])]
    return names


def test_triton_reading_s3_gets_no_cache_volume(helm3: Path) -> None:
    objs = render(helm3, new_chart("yolo-detector"))  # Triton, s3:// repository
    assert claims(objs) == []
    assert of_kind(objs, "Deployment")
    args = server_container(objs)["args"]
    assert any(a.endswith("s3://ml-models/yolo11n-onnx") for a in args), args


def test_triton_got_an_unused_per_replica_claim_before(helm3: Path, tmp_path: Path) -> None:
    assert claims(render(helm3, old_chart("yolo-detector", tmp_path))) == ["cache"]


def compile_caches(objs: list[dict[str, Any]]) -> dict[str, str]:
    container = server_container(objs)
    env = {e["name"]: e.get("value", "") for e in container["env"]}
    mount = next(m["mountPath"] for m in container["volumeMounts"] if m["name"] == "cache")
    names = ("VLLM_CACHE_ROOT", "TORCHINDUCTOR_CACHE_DIR", "TRITON_CACHE_DIR")
    found = {n: env[n] for n in names if n in env}
    assert set(found) == set(names), env
    assert all(value.startswith(mount + "/") for value in found.values()), (found, mount)
    return found


def test_vllm_compile_caches_live_on_the_cache_volume(helm3: Path) -> None:
    compile_caches(render(helm3, new_chart("llama-8b")))


def test_vllm_compile_caches_were_in_the_pod_tmp_before(helm3: Path, tmp_path: Path) -> None:
    with pytest.raises((AssertionError, KeyError)):
        compile_caches(render(helm3, old_chart("llama-8b", tmp_path)))


GATED = """\
apiVersion: chartgen/v1
kind: ModelService
metadata: {name: gated}
spec:
  runtime: vllm
  model: {source: 'hf://meta-llama/Llama-3.1-8B-Instruct@main', sizeGiB: 16}
  resources: {gpu: {count: 1, product: L4}}
"""


def test_gated_repository_without_token_is_a_warning(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(GATED)
    done = new_run(spec, tmp_path)
    assert done.returncode == 0
    assert f"{spec}:6:" in done.stderr and "gated repository" in done.stderr, done.stderr
    with_token = tmp_path / "token.yaml"
    with_token.write_text(
        GATED.replace("sizeGiB: 16", "sizeGiB: 16, credentials: {secretName: hf}")
    )
    assert "gated" not in new_run(with_token, tmp_path / "t").stderr


def test_gated_repository_built_silently_before(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(GATED)
    done = old_run(spec, tmp_path)
    assert done.returncode == 0 and "gated" not in done.stderr


@pytest.mark.parametrize(
    ("example", "words"),
    [
        ("tgi-mistral-aks.yaml", "in maintenance mode"),
        ("torchserve-resnet-cpu.yaml", "in limited maintenance"),
    ],
)
def test_unmaintained_runtime_warns_at_build(tmp_path: Path, example: str, words: str) -> None:
    done = new_run(EXAMPLES / example, tmp_path)
    assert done.returncode == 0 and "upstream" in done.stderr and words in done.stderr
    assert "docs/runtimes.md" in done.stderr
    assert "maintenance" not in old_run(EXAMPLES / example, tmp_path / "old").stderr
