"""Issue 16 part B on rendered charts: the API key from a Secret (never in args or values), the
probes and the scrape left open, engine settings, LoRA adapters and InferencePool routing."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from chartgen import catalog
from chartgen.catalog.load import CatalogError, check_runtime
from chartgen.catalog.profiles import Endpoint
from tests.chart.helpers import GENERATED, helm_template, objects, pod_spec


def render(helm: Path, chart: Path, *args: str) -> list[dict[str, Any]]:
    done = helm_template(helm, chart, *args)
    assert done.returncode == 0, done.stderr
    return objects(done.stdout)


def server(objs: list[dict[str, Any]]) -> dict[str, Any]:
    container: dict[str, Any] = pod_spec(objs)["containers"][0]
    return container


def secret_env(container: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {
        e["name"]: e["valueFrom"]["secretKeyRef"]
        for e in container.get("env", [])
        if "secretKeyRef" in e.get("valueFrom", {})
    }


def test_vllm_reads_the_key_from_its_variable(helm3: Path) -> None:
    objs = render(helm3, GENERATED / "llama-8b", "--set", "auth.apiKey.secretName=llama-key")
    container = server(objs)
    assert secret_env(container)["VLLM_API_KEY"] == {"name": "llama-key", "key": "api-key"}
    assert not any("api-key" in a for a in container["args"])
    guarded = catalog.runtime("vllm").api_key
    assert guarded is not None
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert not guarded.guards(container[probe]["httpGet"]["path"])


def test_no_key_without_a_secret_name(helm3: Path) -> None:
    container = server(render(helm3, GENERATED / "llama-8b"))
    assert "VLLM_API_KEY" not in secret_env(container)


def test_sglang_gets_the_flag_with_a_variable_reference(helm3: Path) -> None:
    objs = render(helm3, GENERATED / "qwen-sglang", "--set", "auth.apiKey.secretName=qwen-key")
    container = server(objs)
    assert container["args"][-2:] == ["--api-key", "$(CHARTGEN_API_KEY)"]
    assert secret_env(container)["CHARTGEN_API_KEY"] == {"name": "qwen-key", "key": "api-key"}


def test_a_guarded_probe_path_is_a_catalog_error() -> None:
    vllm = catalog.runtime("vllm")
    broken = dataclasses.replace(vllm, readiness=Endpoint("/v1/models"))
    with pytest.raises(CatalogError, match="readiness path /v1/models would need the key"):
        check_runtime(broken, "runtimes/vllm.yaml")


def job_command(objs: list[dict[str, Any]]) -> str:
    (job,) = [o for o in objs if o["kind"] == "Job"]
    command: list[str] = job["spec"]["template"]["spec"]["containers"][0]["command"]
    return command[-1]


def test_lora_adapters_are_fetched_where_the_server_reads_them(helm3: Path) -> None:
    objs = render(helm3, GENERATED / "llama-guard")
    args = server(objs)["args"]
    start = args.index("--lora-modules") + 1
    modules = args[start : start + 2]
    assert modules == [
        "topic-control=/cache/loras/topic-control",
        "content-safety=/cache/loras/content-safety",
    ]
    assert args[args.index("--max-loras") + 1] == "2" and "--enable-lora" in args
    assert args[args.index("--max-lora-rank") + 1] == "64"
    command = job_command(objs)
    for module in modules:
        name, path = module.split("=")
        assert f"llama-3.1-nemoguard-8b-{name} --revision main --local-dir {path}" in command
    # The servers wait for the marker of this adapter set, which the Job touches last.
    marker = command.rsplit("touch ", 1)[1]
    init = pod_spec(objs)["initContainers"][0]["command"][-1]
    assert (
        f"[ -f {marker} ]" in init
        and marker.split("-")[-1] != "0e9e39f249a16976918f6564b8830bc894c89659"
    )


def test_engine_settings_reach_vllm(helm3: Path) -> None:
    args = server(render(helm3, GENERATED / "llama-guard"))["args"]
    assert "--enable-prefix-caching" in args
    assert args[args.index("--max-num-seqs") + 1] == "64"
    assert args[args.index("--kv-cache-dtype") + 1] == "fp8"


@pytest.mark.parametrize(
    ("runtime", "expected"),
    [
        ("vllm", ["--no-enable-prefix-caching", "--no-enable-chunked-prefill"]),
        ("sglang", ["--disable-radix-cache", "--chunked-prefill-size", "-1"]),
    ],
)
def test_settings_turned_off_use_the_runtime_spelling(runtime: str, expected: list[str]) -> None:
    from chartgen.model.engine_args import render_args

    profile = catalog.runtime(runtime)
    args, _ = render_args(profile, {"prefix_caching": False, "chunked_prefill": False}, [])
    assert args == expected
    on, _ = render_args(profile, {"prefix_caching": True, "chunked_prefill": True}, [])
    assert on == (
        [] if runtime == "sglang" else ["--enable-prefix-caching", "--enable-chunked-prefill"]
    )
