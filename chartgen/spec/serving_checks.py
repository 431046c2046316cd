"""Semantic checks of what clients see of the server: API keys, engine settings, LoRA adapters,
model-aware routing - each against the chosen runtime's catalog profile."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chartgen.findings import Issue
from chartgen.spec.issues import ERROR, get, issue


def check_auth(doc: dict[str, Any]) -> Iterator[Issue]:
    from chartgen import catalog

    if get(doc, "spec.auth.apiKey") is None:
        return
    name = str(get(doc, "spec.runtime"))
    if catalog.runtime(name).api_key is None:
        takes = sorted(r for r in catalog.runtime_names() if catalog.runtime(r).api_key)
        yield issue(
            ERROR,
            "$.spec.auth.apiKey",
            f"runtime {name} takes no API key in chartgen's catalog (runtimes that do: "
            f"{', '.join(takes)}); put an authenticating proxy or gateway in front instead",
        )


# spec.engine key -> the catalog option that spells it per runtime (chartgen.model.engine_args)
ENGINE_SETTINGS = {
    "prefixCaching": "prefix_caching",
    "chunkedPrefill": "chunked_prefill",
    "maxConcurrentSequences": "max_num_seqs",
    "kvCacheDtype": "kv_cache_dtype",
}


def check_engine_settings(doc: dict[str, Any]) -> Iterator[Issue]:
    """A first-class engine setting the chosen runtime has no spelling for, or a value it refuses."""
    from chartgen import catalog

    name = str(get(doc, "spec.runtime"))
    engine = get(doc, "spec.engine", {})
    for field, option in ENGINE_SETTINGS.items():
        if field not in engine:
            continue
        mapping = catalog.runtime(name).args.get(option)
        value = engine[field]
        if mapping is None:
            has = sorted(r for r in catalog.runtime_names() if option in catalog.runtime(r).args)
            yield issue(
                ERROR,
                f"$.spec.engine.{field}",
                f"runtime {name} has no {field} setting in chartgen's catalog (runtimes that do: "
                f"{', '.join(has)}); pass its own flag in engine.extraArgs if it has one",
            )
        elif mapping.values and str(value) not in mapping.values:
            yield issue(
                ERROR,
                f"$.spec.engine.{field}",
                f"runtime {name} accepts {field} {', '.join(mapping.values)}; got {value!r}",
            )


def check_loras(doc: dict[str, Any]) -> Iterator[Issue]:
    """LoRA adapters need a runtime that loads them, the pre-download Job that fetches them into
    the cache, names distinct from each other and the base model, and ranks the runtime takes."""
    from chartgen import catalog

    loras = get(doc, "spec.model.loras", [])
    if not loras:
        return
    name = str(get(doc, "spec.runtime"))
    args = catalog.runtime(name).args
    if "lora_modules" not in args:
        has = sorted(
            r for r in catalog.runtime_names() if "lora_modules" in catalog.runtime(r).args
        )
        yield issue(
            ERROR,
            "$.spec.model.loras",
            f"runtime {name} loads no LoRA adapters in chartgen's catalog (runtimes that do: "
            f"{', '.join(has)})",
        )
        return
    source = str(get(doc, "spec.model.source", ""))
    if get(doc, "spec.model.cache.download") != "job" or not source.startswith("hf://"):
        yield issue(
            ERROR,
            "$.spec.model.loras",
            "LoRA adapters are fetched into the model cache by the pre-download Job: "
            "set model.cache.download: job (with an hf:// model source)",
        )
    yield from _lora_names(doc, loras)
    yield from _lora_ranks(name, args.get("max_lora_rank"), loras)


def _lora_names(doc: dict[str, Any], loras: list[dict[str, Any]]) -> Iterator[Issue]:
    served = str(get(doc, "spec.model.servedName", get(doc, "metadata.name", "")))
    seen = {served}
    for index, lora in enumerate(loras):
        if lora["name"] in seen:
            yield issue(
                ERROR,
                f"$.spec.model.loras[{index}].name",
                f"model name {lora['name']!r} is already served (names must differ from each "
                "other and from the base model's served name)",
            )
        seen.add(lora["name"])


def _lora_ranks(name: str, option: Any, loras: list[dict[str, Any]]) -> Iterator[Issue]:
    accepted = [int(v) for v in option.values] if option is not None and option.values else []
    for index, lora in enumerate(loras):
        if accepted and int(lora.get("rank", 0)) > max(accepted):
            yield issue(
                ERROR,
                f"$.spec.model.loras[{index}].rank",
                f"runtime {name} serves LoRA ranks up to {max(accepted)}; got {lora['rank']}",
            )


def check_inference_pool(doc: dict[str, Any]) -> Iterator[Issue]:
    """exposure.type inferencepool needs a runtime the endpoint picker reads metrics of."""
    from chartgen import catalog

    if get(doc, "spec.exposure.type") != "inferencepool":
        return
    name = str(get(doc, "spec.runtime"))
    supported = catalog.inference_extension().model_servers
    if name not in supported:
        yield issue(
            ERROR,
            "$.spec.exposure.type",
            f"the InferencePool endpoint picker does not support runtime {name} (it reads the "
            f"metrics of {', '.join(sorted(supported))}); use exposure type httproute",
        )
