"""Facts about each serving runtime that the chart relies on, checked against each other."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from chartgen import catalog
from chartgen.catalog.load import ARG_KEYS, ARG_STYLES, stated_facts
from chartgen.catalog.profiles import ArgMapping, RuntimeProfile

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "schemas" / "modelservice-v1.schema.json").read_text(encoding="utf-8"))
SPEC_FORMATS = set(
    SCHEMA["properties"]["spec"]["properties"]["model"]["properties"]["format"]["enum"]
)
RUNTIMES = [catalog.runtime(name) for name in catalog.runtime_names()]
LLM_RUNTIMES = [r for r in RUNTIMES if r.llm]
PINNED = [r for r in RUNTIMES if r.name != "custom"]
VLLM_SHUTDOWN_TIMEOUT_SINCE = (0, 18, 0)  # llm-d/llm-d#927: --shutdown-timeout ships in v0.18.0
HUB_CACHE_OF_DOWNLOAD_JOB = "{cache}/hub"  # model/storage.py downloads into <cache_dir>/hub


def _ids(runtimes: list[RuntimeProfile]) -> list[str]:
    return [r.name for r in runtimes]


def _ports(runtime: RuntimeProfile) -> dict[str, int]:
    return {k: v for k, v in dataclasses.asdict(runtime.ports).items() if v is not None}


@pytest.mark.parametrize("runtime", RUNTIMES, ids=_ids(RUNTIMES))
def test_every_fact_has_a_source(runtime: RuntimeProfile) -> None:
    facts = sorted(stated_facts(runtime))
    facts += [f"args.{key}" for key in runtime.args]
    unsourced = [fact for fact in facts if not runtime.sources.get(fact, "").strip()]
    assert unsourced == []


@pytest.mark.parametrize("runtime", RUNTIMES, ids=_ids(RUNTIMES))
def test_never_liveness_endpoints_never_back_liveness(runtime: RuntimeProfile) -> None:
    assert runtime.liveness.path not in runtime.never_liveness


@pytest.mark.parametrize("runtime", RUNTIMES, ids=_ids(RUNTIMES))
def test_a_readiness_path_distinct_from_liveness_is_marked_never_liveness(
    runtime: RuntimeProfile,
) -> None:
    if runtime.readiness.path != runtime.liveness.path:
        assert runtime.readiness.path in runtime.never_liveness


def test_triton_liveness_stays_off_the_readiness_endpoint() -> None:
    triton = catalog.runtime("triton")
    assert (triton.liveness.path, triton.readiness.path) == ("/v2/health/live", "/v2/health/ready")


@pytest.mark.parametrize("runtime", LLM_RUNTIMES, ids=_ids(LLM_RUNTIMES))
def test_llm_runtimes_have_queue_and_running_metrics(runtime: RuntimeProfile) -> None:
    assert runtime.queue_metric
    assert runtime.running_metric
    assert runtime.latency_metric


@pytest.mark.parametrize("runtime", RUNTIMES, ids=_ids(RUNTIMES))
def test_ports_are_distinct_and_unprivileged(runtime: RuntimeProfile) -> None:
    ports = list(_ports(runtime).values())
    assert len(set(ports)) == len(ports)
    assert all(1024 <= port <= 65535 for port in ports)  # containers drop every capability


@pytest.mark.parametrize("runtime", RUNTIMES, ids=_ids(RUNTIMES))
def test_probe_and_metrics_endpoints_use_declared_ports(runtime: RuntimeProfile) -> None:
    endpoints = (runtime.startup, runtime.readiness, runtime.liveness, runtime.metrics)
    assert {e.port for e in endpoints} <= set(_ports(runtime))


@pytest.mark.parametrize("runtime", RUNTIMES, ids=_ids(RUNTIMES))
def test_paths_only_use_the_served_name_placeholder(runtime: RuntimeProfile) -> None:
    paths = [runtime.startup.path, runtime.readiness.path, runtime.liveness.path]
    paths += [runtime.metrics.path, *runtime.never_liveness]
    for path in paths:
        assert set(re.findall(r"\{[^}]*\}", path)) <= {"{served_name}"}


@pytest.mark.parametrize("runtime", RUNTIMES, ids=_ids(RUNTIMES))
def test_args_map_known_options_in_known_styles(runtime: RuntimeProfile) -> None:
    assert set(runtime.args) <= ARG_KEYS
    for mapping in runtime.args.values():
        assert mapping.style in ARG_STYLES
        assert mapping.flag or mapping.env or mapping.true_args or mapping.false_args


@pytest.mark.parametrize("runtime", PINNED, ids=_ids(PINNED))
def test_images_are_pinned_to_a_release(runtime: RuntimeProfile) -> None:
    assert runtime.image_repository
    assert runtime.image_tag and runtime.image_tag != "latest"


def test_vllm_pinned_image_has_the_drain_flag() -> None:
    vllm = catalog.runtime("vllm")
    version = tuple(int(part) for part in vllm.image_tag.removeprefix("v").split("."))
    assert vllm.args["drain_timeout"].flag == "--shutdown-timeout"
    assert version >= VLLM_SHUTDOWN_TIMEOUT_SINCE


def test_vllm_takes_the_model_as_its_positional_argument() -> None:
    vllm = catalog.runtime("vllm")
    assert vllm.command == ("vllm", "serve")
    assert next(iter(vllm.args)) == "model"
    assert vllm.args["model"].style == "positional"


def test_parallelism_options_reach_each_llm_engine() -> None:
    assert catalog.runtime("vllm").args["tensor_parallel"].flag == "--tensor-parallel-size"
    assert catalog.runtime("sglang").args["tensor_parallel"].flag == "--tp-size"
    assert catalog.runtime("tgi").args["tensor_parallel"].env == "NUM_SHARD"


def test_sglang_metrics_are_switched_on() -> None:
    metrics_enable = catalog.runtime("sglang").args["metrics_enable"]
    assert metrics_enable == ArgMapping(flag="--enable-metrics", style="bool")


@pytest.mark.parametrize("runtime", RUNTIMES, ids=_ids(RUNTIMES))
def test_hugging_face_caches_match_the_download_job_layout(runtime: RuntimeProfile) -> None:
    if "HF_HOME" in runtime.cache_env:
        assert runtime.cache_env["HF_HOME"] == "{cache}"
    if "HUGGINGFACE_HUB_CACHE" in runtime.cache_env:
        assert runtime.cache_env["HUGGINGFACE_HUB_CACHE"] == HUB_CACHE_OF_DOWNLOAD_JOB


@pytest.mark.parametrize("runtime", RUNTIMES, ids=_ids(RUNTIMES))
def test_model_formats_are_formats_the_spec_accepts(runtime: RuntimeProfile) -> None:
    assert set(runtime.model_formats) <= SPEC_FORMATS


@pytest.mark.parametrize("runtime", RUNTIMES, ids=_ids(RUNTIMES))
def test_a_fixed_user_is_never_root(runtime: RuntimeProfile) -> None:
    if runtime.run_as_user is not None:
        assert runtime.run_as_user > 0
        assert runtime.runs_as_non_root


@pytest.mark.parametrize("runtime", RUNTIMES, ids=_ids(RUNTIMES))
def test_multi_gpu_shm_is_never_smaller_than_single_gpu_shm(runtime: RuntimeProfile) -> None:
    assert 0 < runtime.shm_default_gib <= runtime.shm_multi_gpu_gib


@pytest.mark.parametrize("runtime", RUNTIMES, ids=_ids(RUNTIMES))
def test_timing_assumptions_are_positive(runtime: RuntimeProfile) -> None:
    assert runtime.startup_base_seconds > 0
    assert runtime.load_throughput_mib_s > 0
    assert runtime.drain_seconds > 0
