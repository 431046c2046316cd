"""Memory limit too small to load the model (plus the memory-backed /dev/shm)."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import Container, ObjectSet, Workload, mapping
from chartgen.rules.support.quantities import quantity_gib
from chartgen.rules.support.runtimes import model_size_gib, serving_container
from chartgen.rules.support.volumes import SHM_PATH, is_memory_empty_dir, mounted_volume

ID = "memory-below-model-footprint"
SEVERITY = Severity.WARNING
SUMMARY = "The memory limit must hold the model weights being loaded plus /dev/shm"
RATIONALE = (
    "Loaders stage weights in host RAM before copying them to the GPU, and a memory-backed /dev/shm "
    "is charged to the same limit. A limit below the model size kills the container during weight "
    "loading, exit 137, again on every restart (vllm-project/vllm#28923, marin-community/marin#8113, "
    "xorbitsai/inference#873). The model size comes from the spec or the "
    "`chartgen.dev/model-size-gib` pod annotation."
)
REFERENCES = (
    "vllm-project/vllm#28923",
    "marin-community/marin#8113",
    "xorbitsai/inference#873",
    "defilantech/LLMKube#1724",
)
FIX = "Raise the memory limit to at least the model size plus the /dev/shm sizeLimit (chartgen uses 1.2 x size + 4 GiB + shm)."
EXAMPLE = """\
metadata:
  annotations:
    chartgen.dev/model-size-gib: "16"
resources:
  limits:
    memory: 40Gi   # 1.2 x 16 + 4 GiB + 16 GiB shm
"""
TAGS = ("kubernetes", "ml", "resources", "reliability")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload in objects.serving_workloads:
        size = model_size_gib(workload, ctx)
        container = serving_container(workload)
        if size is None or container is None:
            continue
        found = _memory(container)
        if found is None:
            continue
        pointer, memory = found
        shm = _shm_gib(workload, container)
        if memory < size + shm:
            extra = f" + {shm:g} GiB /dev/shm" if shm else ""
            message = f"container {container.name!r} memory {memory:g} GiB is below the {size:g} GiB model{extra}"
            yield Issue(ID, pointer, message, obj=workload.obj)


def _memory(container: Container) -> tuple[str, float] | None:
    for section in ("limits", "requests"):
        value = quantity_gib(mapping(container.resources.get(section)).get("memory"))
        if value is not None:
            return f"{container.pointer}/resources/{section}/memory", value
    return None


def _shm_gib(workload: Workload, container: Container) -> float:
    volume = mounted_volume(workload, container, SHM_PATH)
    if not is_memory_empty_dir(volume):
        return 0.0
    return quantity_gib(mapping(mapping(volume).get("emptyDir")).get("sizeLimit")) or 0.0
