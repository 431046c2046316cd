"""What rules know about serving runtimes, and how they recognise one in any chart.

A runtime is named by the spec (RuleContext.runtime), by chartgen's pod annotation
`chartgen.dev/runtime`, or guessed from the container image and command. Facts come from
serving-anchors §3 (ports, probes, parallelism) and are deliberately lenient: a rule built on a guess
must not fire on a well-built chart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chartgen.rules.context import RuleContext
from chartgen.rules.objects import Container, Workload
from chartgen.rules.quantities import quantity

RUNTIME_ANNOTATION = "chartgen.dev/runtime"
MODEL_SIZE_ANNOTATION = "chartgen.dev/model-size-gib"
SPARE_GPUS_ANNOTATION = "chartgen.dev/spare-gpus"


@dataclass(frozen=True)
class RuntimeFacts:
    name: str
    llm: bool  # long streamed generations, queue-depth autoscaling
    images: tuple[str, ...]  # regexes matched against the image reference
    commands: tuple[str, ...]  # command words that start this runtime
    never_liveness: tuple[str, ...]  # path prefixes that must not back a liveness probe
    early_readiness: tuple[str, ...]  # readiness paths that answer before the model is served
    parallel_default_one: bool  # TP/PP default to 1 (vLLM, SGLang) rather than all GPUs (TGI)
    cache_dirs: tuple[str, ...]  # where the image caches downloaded models by default
    warmup_seconds: int  # engine start beyond reading weights (compile, CUDA graphs)
    load_mib_s: int  # weights read throughput assumed for startup estimates


RUNTIMES = (
    RuntimeFacts(
        "vllm",
        True,
        (r"(^|/)vllm/vllm-openai",),
        ("vllm",),
        ("/v1/models",),
        (),
        True,
        ("/root/.cache/huggingface",),
        60,
        800,
    ),
    RuntimeFacts(
        "sglang",
        True,
        (r"(^|/)lmsysorg/sglang",),
        ("sglang.launch_server",),
        ("/v1/models",),
        ("/v1/models",),
        True,
        ("/root/.cache/huggingface",),
        60,
        800,
    ),
    RuntimeFacts(
        "tgi",
        True,
        (r"huggingface/text-generation-inference",),
        ("text-generation-launcher",),
        (),
        (),
        False,
        ("/data",),
        60,
        800,
    ),
    RuntimeFacts(
        "nim",
        True,
        (r"^nvcr\.io/nim/",),
        (),
        ("/v1/health/ready", "/v1/models"),
        (),
        False,
        ("/opt/nim/.cache",),
        60,
        800,
    ),
    RuntimeFacts(
        "triton",
        False,
        (r"^nvcr\.io/nvidia/tritonserver",),
        ("tritonserver",),
        ("/v2/health/ready", "/v2/models/"),
        (),
        False,
        (),
        30,
        800,
    ),
    RuntimeFacts(
        "tfserving",
        False,
        (r"(^|/)tensorflow/serving",),
        ("tensorflow_model_server",),
        (),
        (),
        False,
        (),
        10,
        800,
    ),
    RuntimeFacts(
        "torchserve",
        False,
        (r"(^|/)pytorch/torchserve",),
        ("torchserve",),
        (),
        (),
        False,
        (),
        10,
        800,
    ),
)
BY_NAME = {facts.name: facts for facts in RUNTIMES}
# Endpoints that only say "ready" whatever the runtime (KServe v2, NIM, Kubernetes convention).
READINESS_ONLY_PATHS = ("/v2/health/ready", "/v1/health/ready", "/readyz")


def detect(container: Container) -> RuntimeFacts | None:
    """The runtime a container runs, guessed from its image, then its command."""
    for facts in RUNTIMES:
        if any(re.search(pattern, container.image) for pattern in facts.images):
            return facts
    words = {word.rsplit("/", 1)[-1] for _, word in container.argv}
    return next((f for f in RUNTIMES if words.intersection(f.commands)), None)


def serving_container(workload: Workload) -> Container | None:
    """The container serving the model: the first one with accelerators, else the first one."""
    containers = workload.containers
    return next((c for c in containers if c.gpus > 0), containers[0] if containers else None)


def runtime_of(workload: Workload, container: Container, ctx: RuleContext) -> RuntimeFacts | None:
    named = workload.annotations.get(RUNTIME_ANNOTATION) or ctx.runtime
    serving = serving_container(workload)
    if named and workload.serves and serving is not None and serving.pointer == container.pointer:
        return BY_NAME.get(named)
    return detect(container)


def model_size_gib(workload: Workload, ctx: RuleContext) -> float | None:
    annotated = quantity(workload.annotations.get(MODEL_SIZE_ANNOTATION))
    if annotated is not None:
        return annotated
    return ctx.model_size_gib if workload.serves else None


def spare_gpus(workload: Workload, ctx: RuleContext) -> int:
    annotated = quantity(workload.annotations.get(SPARE_GPUS_ANNOTATION))
    if annotated is not None:
        return int(annotated)
    return ctx.spare_gpus or 0


def is_model_server(workload: Workload, container: Container, ctx: RuleContext) -> bool:
    """A container of a long-running workload that serves a model (GPU or known runtime)."""
    if not workload.serves or container.init:
        return False
    return container.gpus > 0 or runtime_of(workload, container, ctx) is not None
