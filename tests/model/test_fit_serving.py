"""GPU fit with issue 16 part B settings: an fp8 KV cache halves the KV bytes per token, and LoRA
adapter slots add their memory on every GPU."""

from __future__ import annotations

from typing import Any

from chartgen import catalog
from chartgen.model.fit import needed_gib, spec_footprint

ARCH = {"layers": 32, "kvHeads": 8, "headDim": 128}  # Llama 3.1 8B


def spec(**engine: Any) -> dict[str, Any]:
    model = {"sizeGiB": 16, "architecture": ARCH}
    loras = engine.pop("loras", None)
    if loras is not None:
        model["loras"] = loras
    return {"runtime": "vllm", "model": model, "engine": {"maxModelLen": 32768, **engine}}


def test_fp8_kv_cache_halves_the_kv_cache() -> None:
    auto, fp8 = spec_footprint(spec()), spec_footprint(spec(kvCacheDtype="fp8"))
    assert auto is not None and fp8 is not None
    assert auto.kv_gib == 4.0 and fp8.kv_gib == 2.0  # 128 KiB/token x 32768 at 2 and 1 bytes
    assert needed_gib(auto, 1) - needed_gib(fp8, 1) == 2.0
    assert "(fp8)" in fp8.kv_basis


def test_lora_adapters_add_their_slots_per_gpu() -> None:
    loras = [
        {"name": "a", "source": "hf://o/a", "sizeGiB": 1.5},
        {"name": "b", "source": "hf://o/b"},
    ]
    plain, adapted = spec_footprint(spec()), spec_footprint(spec(loras=loras))
    assert plain is not None and adapted is not None
    expected = 1.5 + catalog.weights().lora_adapter_gib
    assert adapted.adapters_gib == expected
    for shards in (1, 2):  # not sharded: every GPU holds them
        assert needed_gib(adapted, shards) - needed_gib(plain, shards) == expected
    assert "LoRA adapters" in adapted.kv_basis
