"""Finding 1: the download Job downloads. Its exact command and env run with the real `hf` CLI
(huggingface_hub) against a Hub endpoint on loopback, and fetch the files."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.charts import new_chart, of_kind, old_chart, render
from tests.runtime.hub import COMMIT, serve

FILES = {"config.json": b'{"model_type": "llama"}', "model.safetensors": b"\0" * 4096}
OFFLINE = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE")


def job_container(objs: list[dict[str, Any]]) -> dict[str, Any]:
    (job,) = of_kind(objs, "Job")
    container: dict[str, Any] = job["spec"]["template"]["spec"]["containers"][0]
    return container


def run_job(
    container: dict[str, Any], cache: Path, endpoint: str
) -> subprocess.CompletedProcess[str]:
    """The container's command with its env; the cache volume's mount path maps to `cache`, the
    Secret-backed token gets a dummy value, HF_ENDPOINT points at the loopback Hub."""
    mount = next(m["mountPath"] for m in container["volumeMounts"] if m["name"] == "cache")
    env = {"PATH": os.environ["PATH"], "HF_ENDPOINT": endpoint, "HF_HUB_DISABLE_TELEMETRY": "1"}
    for item in container.get("env", []):
        value = item.get("value", "hf_dummy_token" if "valueFrom" in item else "")
        env[item["name"]] = value.replace(mount, str(cache))
    env["HOME"] = str(cache.parent / "home")
    command = [part.replace(mount, str(cache)) for part in container["command"]]
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def assert_downloads(objs: list[dict[str, Any]], tmp_path: Path) -> None:
    container = job_container(objs)
    cache = tmp_path / "cache"
    cache.mkdir()
    with serve(FILES) as hub:
        done = run_job(container, cache, f"http://127.0.0.1:{hub.server_address[1]}")
    assert "offline mode" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    assert any("/tree/" in r for r in hub.requests), hub.requests
    snapshot = cache / "hub" / "models--meta-llama--Llama-3.1-70B-Instruct" / "snapshots" / COMMIT
    assert (snapshot / "model.safetensors").read_bytes() == FILES["model.safetensors"]
    assert (cache / f".chartgen-downloaded-{COMMIT}").exists()


@pytest.fixture(scope="module")
def hf() -> str:
    found = shutil.which("hf")
    assert found, "the huggingface_hub CLI `hf` is part of the test extra (setup.cfg)"
    return found


def test_download_job_env_has_no_offline_switch(helm3: Path) -> None:
    container = job_container(render(helm3, new_chart("llama-70b")))
    names = {item["name"] for item in container["env"]}
    assert not names & set(OFFLINE)
    assert {"HF_HOME", "HF_TOKEN", "NVIDIA_VISIBLE_DEVICES"} <= names


def test_download_job_fetches_the_model(helm3: Path, hf: str, tmp_path: Path) -> None:
    assert_downloads(render(helm3, new_chart("llama-70b")), tmp_path)


def test_the_job_as_it_was_refused_to_download(helm3: Path, hf: str, tmp_path: Path) -> None:
    old = render(helm3, old_chart("llama-70b", tmp_path / "old"))
    with pytest.raises(AssertionError, match="offline mode"):
        assert_downloads(old, tmp_path)
