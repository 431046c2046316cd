"""CPU, memory and /dev/shm: shared memory is memory-backed, so it is counted in the memory limit."""

from __future__ import annotations

import math
from typing import Any

from chartgen.catalog.profiles import RuntimeProfile
from chartgen.model.plan import GpuPlan, ResourcesPlan
from chartgen.quantity import format_gib, gib

HOST_RAM_PER_WEIGHT = 1.2  # loaders stage each shard in host RAM before copying it to the GPU
HOST_RAM_OVERHEAD_GIB = 4
CPU_PER_GPU = 4


def shm_gib(runtime: RuntimeProfile, spec_resources: dict[str, Any], gpus: int) -> float:
    if "shmSize" in spec_resources:
        return gib(spec_resources["shmSize"])
    return runtime.shm_multi_gpu_gib if gpus > 1 else runtime.shm_default_gib


def plan_resources(
    spec_resources: dict[str, Any], gpu: GpuPlan, size_gib: float, shm: float
) -> ResourcesPlan:
    memory = (
        gib(spec_resources["memory"])
        if "memory" in spec_resources
        else _default_memory(size_gib, gpu.count)
    )
    cpu_limit, storage = spec_resources.get("cpuLimit"), spec_resources.get("ephemeralStorage")
    return ResourcesPlan(
        cpu=str(spec_resources.get("cpu", max(2, CPU_PER_GPU * gpu.count))),
        memory=format_gib(memory + shm),
        cpu_limit=None if cpu_limit is None else str(cpu_limit),
        ephemeral_storage=None if storage is None else str(storage),
        gpu_resource=gpu.resource,
        gpu_count=gpu.count,
    )


def _default_memory(size_gib: float, gpus: int) -> float:
    base = 2.0 if gpus == 0 else 8.0
    return float(max(base, math.ceil(size_gib * HOST_RAM_PER_WEIGHT + HOST_RAM_OVERHEAD_GIB)))
