"""Environment that overrides which GPUs a container sees."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import Container, ObjectSet

ID = "gpu-visible-devices-override"
SEVERITY = Severity.ERROR
SUMMARY = (
    "Do not set NVIDIA_VISIBLE_DEVICES (or HIP/ROCR/CUDA_VISIBLE_DEVICES) to all or to device ids"
)
RATIONALE = (
    "The device plugin decides which GPUs a container gets. `NVIDIA_VISIBLE_DEVICES=all` or explicit "
    "ids make the container toolkit expose GPUs the scheduler gave to other pods, and ROCm's "
    "`HIP_VISIBLE_DEVICES`/`ROCR_VISIBLE_DEVICES` likewise bypass the allocation; listing more "
    "`CUDA_VISIBLE_DEVICES` than the container was allocated breaks start-up."
)
REFERENCES = ("ROCm/k8s-device-plugin#45", "Project-HAMi/HAMi#469", "NVIDIA/k8s-device-plugin#61")
FIX = (
    "Remove the variable and request GPUs through `resources.limits`; use `none` to hide every GPU."
)
EXAMPLE = """\
resources:
  limits:
    nvidia.com/gpu: 1   # the device plugin sets the visible device
"""
TAGS = ("kubernetes", "gpu", "isolation")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"
# Variables the container toolkit / ROCm runtime read to pick devices on the host.
HOST_DEVICE_VARIABLES = (
    "NVIDIA_VISIBLE_DEVICES",
    "HIP_VISIBLE_DEVICES",
    "ROCR_VISIBLE_DEVICES",
    "AMD_VISIBLE_DEVICES",
)
# Variables interpreted inside the container, over the devices it was given.
IN_CONTAINER_VARIABLES = ("CUDA_VISIBLE_DEVICES",)
SAFE_VALUES = ("", "none", "void")


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload, container in objects.containers():
        for index, item in container.env:
            problem = _problem(container, str(item.get("name")), item.get("value"))
            if problem:
                yield Issue(ID, f"{container.pointer}/env/{index}/value", problem, obj=workload.obj)


def _problem(container: Container, name: str, value: object) -> str:
    if value is None:
        return ""
    text = str(value).strip().lower()
    if text in SAFE_VALUES:
        return ""
    if name in HOST_DEVICE_VARIABLES:
        return f"container {container.name!r} sets {name}={value}: bypasses the device plugin's GPU allocation"
    devices = len([part for part in text.split(",") if part.strip()])
    if not container.gpus_known:
        return ""
    if name in IN_CONTAINER_VARIABLES and (text == "all" or devices > container.gpus):
        return f"container {container.name!r} sets {name}={value} but is allocated {container.gpus:g} GPUs"
    return ""
