"""Which extended resources are accelerators, and how many a container asks for."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from chartgen.rules.support.quantities import quantity

# Resource names the accelerator device plugins advertise (NVIDIA, AMD, Intel, Habana, AWS Neuron, TPU).
GPU_RESOURCE_PATTERNS = (
    re.compile(r"^nvidia\.com/gpu(\.shared)?$"),
    re.compile(r"^nvidia\.com/mig-\d+g\.\d+gb$"),
    re.compile(r"^amd\.com/gpu$"),
    re.compile(r"^gpu\.intel\.com/.+$"),
    re.compile(r"^habana\.ai/gaudi$"),
    re.compile(r"^aws\.amazon\.com/neuron(core|device)?$"),
    re.compile(r"^google\.com/tpu$"),
)


def is_gpu_resource(name: str) -> bool:
    return any(pattern.match(name) for pattern in GPU_RESOURCE_PATTERNS)


def gpu_entries(section: Any) -> dict[str, Any]:
    """The accelerator entries of a `requests` or `limits` mapping."""
    if not isinstance(section, Mapping):
        return {}
    return {str(name): value for name, value in section.items() if is_gpu_resource(str(name))}


def gpu_count(resources: Any) -> float:
    """Accelerators a container gets: its limits, or its requests when it sets no limit."""
    if not isinstance(resources, Mapping):
        return 0.0
    entries = gpu_entries(resources.get("limits")) or gpu_entries(resources.get("requests"))
    return sum(quantity(value) or 0.0 for value in entries.values())
