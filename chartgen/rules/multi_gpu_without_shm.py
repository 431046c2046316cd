"""Multi-GPU container without a memory-backed /dev/shm."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet
from chartgen.rules.support.runtime_flags import PIPELINE_PARALLEL, TENSOR_PARALLEL, int_setting
from chartgen.rules.support.runtimes import runtime_of
from chartgen.rules.support.volumes import SHM_PATH, is_memory_empty_dir, mounted_volume

ID = "multi-gpu-without-shm"
SEVERITY = Severity.ERROR
SUMMARY = "Containers using several GPUs need a memory-backed emptyDir at /dev/shm"
RATIONALE = (
    "NCCL and the engines' worker processes exchange tensors through /dev/shm. A container gets 64 MiB "
    "of it by default, and multi-GPU serving fails with `NCCL WARN Error while creating shared memory "
    "segment ... No space left on device` (NVIDIA/nccl#525, #290) or crashes under tensor "
    "parallelism (vllm-project/vllm#1710, vllm-project/production-stack#276). `hostIPC: true` is the "
    "Docker-era shortcut; it shares the node's IPC namespace and is flagged by host-namespace-shared. "
    "Only runtimes the catalog recognises and records as needing more than the 64 MiB default with "
    "several GPUs (`shm_multi_gpu_gib`) are judged: for others (ollama, a custom server) the "
    "catalog does not know how they share tensors."
)
REFERENCES = (
    "NVIDIA/nccl#525",
    "NVIDIA/nccl#290",
    "vllm-project/vllm#1710",
    "vllm-project/production-stack#276",
)
FIX = "Mount an `emptyDir: {medium: Memory, sizeLimit: ...}` volume at /dev/shm (and count it in the memory limit)."
EXAMPLE = """\
volumeMounts:
  - name: shm
    mountPath: /dev/shm
volumes:
  - name: shm
    emptyDir:
      medium: Memory
      sizeLimit: 16Gi
"""
TAGS = ("kubernetes", "gpu", "ml", "reliability")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"
DEFAULT_SHM_GIB = 0.0625  # a container's /dev/shm without a volume (64 MiB)


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload, container in objects.containers(init=False):
        if workload.pod.get("hostIPC") is True:
            continue
        shards = [
            s[0]
            for s in (int_setting(container, k) for k in (TENSOR_PARALLEL, PIPELINE_PARALLEL))
            if s
        ]
        if container.gpus <= 1 and all(size <= 1 for size in shards):
            continue
        runtime = runtime_of(workload, container, ctx)
        if runtime is None or runtime.shm_multi_gpu_gib <= DEFAULT_SHM_GIB:
            continue
        if not is_memory_empty_dir(mounted_volume(workload, container, SHM_PATH)):
            gpus = max([int(container.gpus), *shards])
            message = f"container {container.name!r} uses {gpus} GPUs but has no memory-backed /dev/shm (64 MiB default)"
            yield Issue(ID, container.pointer, message, obj=workload.obj)
