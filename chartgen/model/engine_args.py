"""How spec options reach the runtime: CLI flags or env vars, from the runtime profile's table."""

from __future__ import annotations

from typing import Any

from chartgen.catalog.profiles import ArgMapping, RuntimeProfile
from chartgen.model.plan import EnvVar, LoraPlan
from chartgen.model.source import ModelSource

_ENGINE_OPTIONS = {  # spec.engine key -> profile args key
    "maxModelLen": "max_model_len",
    "dtype": "dtype",
    "quantization": "quantization",
    "gpuMemoryUtilization": "gpu_memory_utilization",
    "prefixCaching": "prefix_caching",
    "chunkedPrefill": "chunked_prefill",
    "maxConcurrentSequences": "max_num_seqs",
    "kvCacheDtype": "kv_cache_dtype",
}


def engine_settings(
    runtime: RuntimeProfile,
    spec: dict[str, Any],
    source: ModelSource,
    *,
    served_name: str,
    tensor_parallel: int,
    pipeline_parallel: int,
    drain_seconds: int,
    cache_dir: str | None,
    loras: tuple[LoraPlan, ...] = (),
) -> dict[str, Any]:
    """Every option the runtime receives, keyed by the profile's args names."""
    engine = spec.get("engine", {})
    settings: dict[str, Any] = {
        "model": source.runtime_reference,
        "model_repository": source.runtime_reference,
        "served_name": served_name,
        "port": runtime.ports.http,
        "host": "0.0.0.0",
        "revision": source.revision,
        "metrics_enable": True,
        "drain_timeout": drain_seconds,
        "download_dir": cache_dir,
    }
    if tensor_parallel > 1 or "tensorParallel" in engine:
        settings["tensor_parallel"] = tensor_parallel
    if pipeline_parallel > 1:
        settings["pipeline_parallel"] = pipeline_parallel
    for spec_key, arg_key in _ENGINE_OPTIONS.items():
        if spec_key in engine:
            settings[arg_key] = engine[spec_key]
    if loras:
        settings.update(_lora_settings(runtime, loras))
    return settings


def _lora_settings(runtime: RuntimeProfile, loras: tuple[LoraPlan, ...]) -> dict[str, Any]:
    """Every adapter loaded at start-up, all of them allowed in one batch; the maximum rank is
    the largest stated one, raised to the next value the runtime accepts (vLLM's MaxLoRARanks)."""
    settings: dict[str, Any] = {
        "enable_lora": True,
        "lora_modules": [lora.module for lora in loras],
        "max_loras": len(loras),
    }
    ranks = [lora.rank for lora in loras if lora.rank is not None]
    rank_option = runtime.args.get("max_lora_rank")
    if ranks and rank_option is not None:
        accepted = sorted(int(v) for v in rank_option.values)
        settings["max_lora_rank"] = next((v for v in accepted if v >= max(ranks)), max(ranks))
    return settings


def render_args(
    runtime: RuntimeProfile, settings: dict[str, Any], extra: list[str]
) -> tuple[list[str], list[EnvVar]]:
    """(args, env) for the container, in the profile's declared order of options."""
    args = list(runtime.base_args)
    env: list[EnvVar] = []
    for key, mapping in runtime.args.items():
        value = settings.get(key)
        if mapping.style == "switch" and value is not None:
            args += list(mapping.true_args if value else mapping.false_args)
            continue
        if value is None or value is False or value == []:
            continue
        args += _flag(mapping, value)
        if mapping.env:
            env.append(EnvVar(mapping.env, _text(value)))
    return args + [str(a) for a in extra], env


def _flag(mapping: ArgMapping, value: Any) -> list[str]:
    if not mapping.flag:
        return []
    if mapping.style == "bool":
        return [mapping.flag] if value else []
    if mapping.style == "equals":
        return [f"{mapping.flag}={_text(value)}"]
    if mapping.style == "positional":
        return [_text(value)]
    if mapping.style == "list":
        return [mapping.flag, *(_text(item) for item in value)]
    return [mapping.flag, _text(value)]


def _text(value: Any) -> str:
    if value is True:
        return "true"
    if isinstance(value, (list, tuple)):
        return ",".join(_text(item) for item in value)
    return str(value)
