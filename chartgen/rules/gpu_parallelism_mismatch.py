"""Tensor x pipeline (x data) parallel size differs from the GPUs the container gets."""

from __future__ import annotations

import math
from collections.abc import Iterator

from chartgen.catalog.profiles import RuntimeProfile
from chartgen.findings import Issue, Severity
from chartgen.manifests import escape_pointer
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.gpus import gpu_entries
from chartgen.rules.support.objects import Container, ObjectSet
from chartgen.rules.support.runtime_flags import (
    DATA_PARALLEL,
    PIPELINE_PARALLEL,
    TENSOR_PARALLEL,
    int_setting,
)
from chartgen.rules.support.runtimes import runtime_of

ID = "gpu-parallelism-mismatch"
SEVERITY = Severity.ERROR
SUMMARY = "Tensor/pipeline/data parallel sizes must multiply to the GPUs of the container"
RATIONALE = (
    "vLLM and SGLang shard a model over tensor-parallel x pipeline-parallel (x data-parallel) "
    'GPUs; TGI over NUM_SHARD. More shards than GPUs crash-loop with "Tensor parallel size (2) '
    'cannot be larger than the number of available GPUs (1)" (ai-dynamo/dynamo#4934), and older '
    "vLLM fell back to Ray with confusing placement timeouts (vllm-project/vllm#25263). Fewer "
    "shards than GPUs leave paid GPUs idle. Manual edits drift because the GPU count and the flag "
    "live in different places (vllm-project/vllm#5450)."
)
REFERENCES = ("ai-dynamo/dynamo#4934", "vllm-project/vllm#25263", "vllm-project/vllm#5450")
FIX = (
    "Make `--tensor-parallel-size` x `--pipeline-parallel-size` (or `NUM_SHARD`) equal the GPU limit "
    "of the container, or change the GPU limit."
)
EXAMPLE = """\
args: [serve, meta-llama/Llama-3.1-70B-Instruct, --tensor-parallel-size, "4"]
resources:
  limits:
    nvidia.com/gpu: 4
"""
TAGS = ("kubernetes", "gpu", "ml", "correctness")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"
KNOBS = (
    (TENSOR_PARALLEL, "tensor parallel"),
    (PIPELINE_PARALLEL, "pipeline parallel"),
    (DATA_PARALLEL, "data parallel"),
)


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload, container in objects.containers(init=False):
        runtime = runtime_of(workload, container, ctx)
        gpus = int(container.gpus) * workload.group_size
        given = _shard_settings(container)
        shards = math.prod(max(size, 1) for size, _, _ in given)
        if not container.gpus_known:
            continue
        if given and shards != gpus and not (gpus == 0 and shards == 1):
            names = " x ".join(f"{name} {size}" for size, _, name in given)
            message = f"container {container.name!r} shards the model over {names} = {shards} GPUs but gets {gpus}"
            yield Issue(ID, given[0][1], message, obj=workload.obj)
        elif not given and gpus > 1 and _defaults_to_one(runtime):
            message = (
                f"container {container.name!r} gets {gpus} GPUs but sets no tensor/pipeline parallel "
                f"size: {runtime.name if runtime else 'the runtime'} uses 1 and leaves {gpus - 1} idle"
            )
            yield Issue(ID, _gpu_pointer(container), message, obj=workload.obj)


def _shard_settings(container: Container) -> list[tuple[int, str, str]]:
    """(size, pointer, knob name) of every parallelism option the container sets."""
    found = []
    for knob, name in KNOBS:
        setting = int_setting(container, knob)
        if setting is not None:
            found.append((setting[0], setting[1], name))
    return found


def _defaults_to_one(runtime: RuntimeProfile | None) -> bool:
    return runtime is not None and runtime.parallel_default_one


def _gpu_pointer(container: Container) -> str:
    limits = gpu_entries(container.resources.get("limits"))
    name = next(iter(limits), "")
    return (
        f"{container.pointer}/resources/limits/{escape_pointer(name)}"
        if name
        else f"{container.pointer}/resources"
    )
