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
from tests.chart.helpers import GENERATED, helm_template, objects, pod_spec, server_workload


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


POOL_API = "inference.networking.k8s.io/v1/InferencePool"


def test_the_route_targets_the_pool_and_its_picker(helm3: Path) -> None:
    objs = render(helm3, GENERATED / "qwen-routed")
    by_kind = {(o["kind"], o["metadata"]["name"]) for o in objs}
    epp = "rel-qwen-routed-epp"
    for kind in ("Deployment", "Service", "ServiceAccount", "Role", "RoleBinding", "ConfigMap"):
        assert (kind, epp) in by_kind, kind
    (pool,) = [o for o in objs if o["kind"] == "InferencePool"]
    assert pool["apiVersion"] == "inference.networking.k8s.io/v1"
    assert pool["spec"]["targetPorts"] == [{"number": 8000}]
    assert pool["spec"]["endpointPickerRef"] == {
        "name": epp,
        "port": {"number": 9002},
        "failureMode": "FailOpen",
    }
    workload = server_workload(objs)
    assert pool["spec"]["selector"]["matchLabels"] == workload["spec"]["selector"]["matchLabels"]
    (route,) = [o for o in objs if o["kind"] == "HTTPRoute"]
    assert route["spec"]["rules"][0]["backendRefs"] == [
        {"group": "inference.networking.k8s.io", "kind": "InferencePool", "name": "rel-qwen-routed"}
    ]
    picker = next(o for o in objs if o["kind"] == "Deployment" and o["metadata"]["name"] == epp)
    labels = picker["spec"]["template"]["metadata"]["labels"]
    selector = pool["spec"]["selector"]["matchLabels"]
    assert not all(labels.get(k) == v for k, v in selector.items())  # the picker is not in the pool
    container = picker["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "registry.k8s.io/gateway-api-inference-extension/epp:v1.5.0"
    args = container["args"]
    assert args[args.index("--pool-name") + 1] == "rel-qwen-routed"
    assert args[args.index("--pool-namespace") + 1] == "ml"


def test_without_the_pool_crd_the_route_keeps_the_service(helm3: Path) -> None:
    route_api = ("--api-versions", "gateway.networking.k8s.io/v1/HTTPRoute")
    done = helm_template(helm3, GENERATED / "qwen-routed", *route_api, crds=False)
    objs = objects(done.stdout)
    assert not {o["kind"] for o in objs} & {"InferencePool", "Role"}
    (route,) = [o for o in objs if o["kind"] == "HTTPRoute"]
    assert route["spec"]["rules"][0]["backendRefs"] == [{"name": "rel-qwen-routed", "port": 80}]


def test_sglang_picker_reads_sglang_metrics(tmp_path: Path) -> None:
    from chartgen.model.resolve import resolve

    document = {
        "metadata": {"name": "q"},
        "spec": {
            "runtime": "sglang",
            "model": {"source": "hf://Qwen/Qwen2.5-7B-Instruct@main", "sizeGiB": 15},
            "resources": {"gpu": {"count": 1, "product": "L40S"}},
            "exposure": {"type": "inferencepool", "gateway": {"name": "gw"}},
        },
    }
    pool = resolve(document).inference_pool
    assert pool is not None and pool.target_port == 30000
    assert '--total-queued-requests-metric="sglang:num_queue_reqs"' in pool.flags
    assert "defaultEngine: sglang" in pool.config
    vllm = dict(document, spec={**document["spec"], "runtime": "vllm"})
    vllm_pool = resolve(vllm).inference_pool
    assert vllm_pool is not None and not vllm_pool.flags
    assert "defaultEngine" not in vllm_pool.config
