"""The commented starter spec that `chartgen init` writes: valid for every runtime and platform."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from chartgen import catalog
from chartgen.spec.schema import schema, schema_id


@dataclass(frozen=True)
class ModelExample:
    source: str
    size_gib: int
    format: str


EXAMPLES = {
    "vllm": ModelExample("hf://meta-llama/Llama-3.1-8B-Instruct", 16, "safetensors"),
    "sglang": ModelExample("hf://Qwen/Qwen2.5-7B-Instruct", 15, "safetensors"),
    "tgi": ModelExample("hf://mistralai/Mistral-7B-Instruct-v0.3", 15, "safetensors"),
    "triton": ModelExample("s3://my-bucket/model-repository", 2, "onnx"),
    "torchserve": ModelExample("s3://my-bucket/models/resnet50.mar", 1, "mar"),
    "tfserving": ModelExample("gs://my-bucket/models/bert", 1, "savedmodel"),
    "custom": ModelExample("https://models.example.com/my-model.tar", 2, "safetensors"),
}


def name_problem(name: str) -> str | None:
    """Why `name` cannot be a metadata.name, or None when it can."""
    rules = schema()["properties"]["metadata"]["properties"]["name"]
    if len(name) > int(rules["maxLength"]) or not re.fullmatch(rules["pattern"].strip("^$"), name):
        return f"{name!r} is not valid: {rules['description']}"
    return None


def starter_spec(
    name: str, runtime: str, platform: str, gpus: int, schema_ref: str | None = None
) -> str:
    """The spec text; `schema_ref` (URL or path) goes into the editor modeline, default the $id."""
    example = EXAMPLES.get(runtime) or _example_for(runtime)
    lines = [
        f"# yaml-language-server: $schema={schema_ref or schema_id()}",
        f"# chartgen ModelService spec for {name}. Field reference: docs/spec.md;",
        "# a local copy of the schema for editors: chartgen schema -o modelservice-v1.schema.json",
        "# Build the chart with: chartgen build <this file>",
        "apiVersion: chartgen/v1",
        "kind: ModelService",
        "metadata:",
        f"  name: {name}",
        "  # team: ml-platform",
        "  # owner: you@example.com",
        "  # maintainers:   # Chart.yaml maintainers; Artifact Hub lists those with an email",
        "  #   - name: ml-platform",
        "  #     email: ml-platform@example.com",
        "spec:",
        f"  runtime: {runtime}",
        f"  platform: {platform}",
    ]
    lines += _image(runtime) + _model(example, platform) + _engine(runtime, gpus)
    lines += _resources(example, gpus, platform) + _scaling() + _scheduling(platform)
    lines += _custom(runtime)
    return "\n".join(lines) + "\n"


def _image(runtime: str) -> list[str]:
    if runtime != "custom":
        return ["  # image: {repository: ..., tag: ...}   # default: the runtime's pinned image"]
    return ["  image:", "    repository: registry.example.com/ml/my-server", '    tag: "1.0.0"']


def _model(example: ModelExample, platform: str) -> list[str]:
    pin = "  # pin a revision: hf://org/name@<commit>" if example.source.startswith("hf://") else ""
    from chartgen.catalog.nodes import pool_storage

    storage = pool_storage(platform)
    cache = (
        [
            f"    cache: {{storageClass: {storage.documented_class}}}"
            f"   # {platform} has no default StorageClass"
        ]
        if storage.default_class is None and storage.documented_class
        else ["    # cache: {type: pvc, size: 100Gi}       # pvc | per-replica | emptyDir | none"]
    )
    return [
        "  model:",
        f"    source: {example.source}{pin}",
        f"    sizeGiB: {example.size_gib}                   # sizes probes, memory and the cache volume",
        f"    format: {example.format}",
        _credentials(example.source),
        *cache,
    ]


def _credentials(source: str) -> str:
    repo = source.removeprefix("hf://")
    if source.startswith("hf://") and any(
        repo.casefold().startswith(g.prefix.casefold()) for g in catalog.hub().gated
    ):
        return "    credentials: {secretName: hf-token}   # gated repository: a token that accepted the licence"
    return (
        "    # credentials: {secretName: hf-token}   # Secret with the download token (key: token)"
    )


def _example_for(runtime: str) -> ModelExample:
    """A placeholder model for a catalog runtime without a curated example."""
    formats = catalog.runtime(runtime).model_formats
    return ModelExample("https://models.example.com/my-model.tar", 2, formats[0] if formats else "")


def _engine(runtime: str, gpus: int) -> list[str]:
    if "tensor_parallel" not in catalog.runtime(runtime).args:
        return []
    if gpus <= 1:
        return [
            "  # engine: {maxModelLen: 8192, dtype: bfloat16, extraArgs: [--enable-prefix-caching]}"
        ]
    return [
        "  engine:",
        f"    tensorParallel: {gpus}  # x pipelineParallel must equal the GPU count",
        "    # maxModelLen: 8192",
        "    # extraArgs: [--enable-prefix-caching]",
    ]


def _starter_product(platform: str, gpus: int) -> str:
    """L4 where the platform's default node pool offers it, else the smallest NVIDIA product it
    offers that has at least L4's memory (the starter models are sized for an L4)."""
    from chartgen import catalog
    from chartgen.catalog.nodes import Unplaceable, placement

    floor = catalog.gpu_product("L4").memory_gib
    candidates = sorted(
        (p for p in catalog.gpu_products() if p.vendor == "nvidia" and p.memory_gib >= floor),
        key=lambda p: (p.key != "L4", p.memory_gib),
    )
    for product in candidates:
        try:
            placement(platform, None, product, gpus)
        except Unplaceable:
            continue
        return product.key
    return "L4"


def _scheduling(platform: str) -> list[str]:
    from chartgen import catalog

    pools = catalog.platform(platform).node_pools
    default = next(name for name, pool in pools.items() if pool.default)
    return [f"  # scheduling: {{nodePool: {default}}}   # node-pool variants: {', '.join(pools)}"]


def _resources(example: ModelExample, gpus: int, platform: str) -> list[str]:
    memory = max(8, math.ceil(example.size_gib * 1.2 + 4))
    cpu = max(2, 4 * gpus)
    lines = [
        "  resources:",
        f'    cpu: "{cpu}"',
        f"    memory: {memory}Gi                   # host RAM for loading; /dev/shm is added on top",
    ]
    if gpus == 0:
        return [*lines, "    # gpu: {count: 1, vendor: nvidia, product: L4}"]
    return [
        *lines,
        "    gpu:",
        f"      count: {gpus}",
        "      vendor: nvidia",
        f"      product: {_starter_product(platform, gpus):<26} # catalog key (docs/platforms.md):"
        " pins the GPU node label",
    ]


def _scaling() -> list[str]:
    return [
        "  replicas: 1",
        "  # autoscaling: {enabled: true, minReplicas: 1, maxReplicas: 4}",
        "  # exposure: {type: ingress, host: llm.example.com}",
        "  # monitoring: {labels: {release: prometheus}}",
    ]


def _custom(runtime: str) -> list[str]:
    if runtime != "custom":
        return []
    return [
        "  custom:",
        "    command: [python, -m, my_server]",
        "    ports: {http: 8080}",
        "    health: {startup: /ready, readiness: /ready, liveness: /healthz}",
        "    metrics: {path: /metrics}",
    ]
