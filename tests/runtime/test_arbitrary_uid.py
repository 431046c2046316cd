"""Finding 2: PyTorch runtimes start under a UID with no passwd entry (OpenShift restricted-v2, or
a UID the image does not define) on a read-only root, with the env the chart renders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.runtime.charts import new_chart, old_chart, render, server_container
from tests.runtime.sandbox import run_python
from tests.spec.conftest import run_cli

OPENSHIFT_UID = 1000680000  # from the namespace's openshift.io/sa.scc.uid-range, GID 0
PATH = "/usr/local/bin:/usr/bin:/bin"

# What PyTorch-based servers do first: torch's inductor cache dir is
# tempfile.gettempdir()/torchinductor_<getpass.getuser()> (torch/_inductor/runtime/cache_dir_utils.py),
# Triton and vLLM cache under ~/.triton and ~/.cache/vllm unless their variables say otherwise,
# and huggingface_hub writes its cache under HF_HOME.
STARTUP = """
import getpass, os, pathlib, tempfile
user = getpass.getuser()
inductor = os.environ.get("TORCHINDUCTOR_CACHE_DIR") or os.path.join(
    tempfile.gettempdir(), "torchinductor_" + user)
os.makedirs(inductor, exist_ok=True)
for var, default in (("TRITON_CACHE_DIR", "~/.triton/cache"), ("VLLM_CACHE_ROOT", "~/.cache/vllm"),
                     ("TORCH_HOME", "~/.cache/torch"), ("XDG_CACHE_HOME", "~/.cache")):
    path = pathlib.Path(os.path.expanduser(os.environ.get(var, default)))
    path.mkdir(parents=True, exist_ok=True)
    (path / "probe").write_text("ok")
from huggingface_hub import constants
hub = pathlib.Path(constants.HF_HUB_CACHE)
hub.mkdir(parents=True, exist_ok=True)
(hub / "probe").write_text("ok")
print("started as", os.getuid(), user)
"""


def start(objs: list[dict[str, Any]], root: Path) -> str:
    """Run STARTUP as the pod would; return its output, raising AssertionError on failure."""
    workload = next(o for o in objs if o["kind"] in ("Deployment", "StatefulSet"))
    pod = workload["spec"]["template"]["spec"]
    context = pod.get("securityContext", {})
    container = server_container(objs)
    env = {e["name"]: e["value"] for e in container.get("env", []) if "value" in e}
    env.setdefault("PATH", PATH)
    writable = [m["mountPath"] for m in container.get("volumeMounts", []) if not m.get("readOnly")]
    done = run_python(
        STARTUP,
        env=env,
        uid=int(context.get("runAsUser", OPENSHIFT_UID)),
        gid=int(context.get("runAsGroup", 0)),
        writable=writable,
        root=root,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("chart", ["llama-8b", "qwen-sglang", "mistral-tgi"])
def test_starts_without_a_passwd_entry(helm3: Path, chart: str, tmp_path: Path) -> None:
    out = start(render(helm3, new_chart(chart)), tmp_path / "root")
    assert "started as" in out and "model-server" in out


def test_starts_on_openshift_with_an_assigned_uid(helm3: Path, tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "apiVersion: chartgen/v1\nkind: ModelService\nmetadata: {name: llama-os}\nspec:\n"
        "  runtime: vllm\n  platform: openshift\n"
        "  model: {source: 'hf://meta-llama/Llama-3.1-8B-Instruct@main', sizeGiB: 16}\n"
        "  resources: {gpu: {count: 1, product: L4}}\n"
    )
    code, _, err = run_cli("build", str(spec), "-o", str(tmp_path / "out"))
    assert code == 0, err
    objs = render(helm3, tmp_path / "out" / "llama-os")
    pod = next(o for o in objs if o["kind"] == "Deployment")["spec"]["template"]["spec"]
    assert "runAsUser" not in pod["securityContext"]  # the SCC assigns it
    assert str(OPENSHIFT_UID) in start(objs, tmp_path / "root")


@pytest.mark.parametrize("chart", ["llama-8b", "qwen-sglang"])
def test_the_charts_as_they_were_crashed_in_getuser(
    helm3: Path, chart: str, tmp_path: Path
) -> None:
    old = render(helm3, old_chart(chart, tmp_path / "old"))
    with pytest.raises(AssertionError, match="uid not found"):
        start(old, tmp_path / "root")
