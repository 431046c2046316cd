"""Container from a CUDA image in a pod that requests no GPU."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.images import bundles_cuda
from chartgen.rules.support.objects import ObjectSet

ID = "cuda-image-without-gpu"
SEVERITY = Severity.WARNING
SUMMARY = "CUDA images in pods without a GPU request should set NVIDIA_VISIBLE_DEVICES=none"
RATIONALE = (
    "With the default NVIDIA device plugin and container toolkit settings, a container that "
    "requests no GPU but runs an image with `NVIDIA_VISIBLE_DEVICES=all` baked in (every CUDA and "
    "serving image) sees all GPUs of the node it lands on, outside the scheduler's accounting: it "
    "can take memory from the pods that were allocated those GPUs. Often the GPU request was simply "
    "forgotten and the model silently runs on CPU."
)
REFERENCES = (
    "NVIDIA/k8s-device-plugin#61",
    "NVIDIA/k8s-device-plugin#87",
    "NVIDIA/k8s-device-plugin#1605",
    "NVIDIA/gpu-operator#700",
)
FIX = (
    "Request the GPU the container needs, or set `NVIDIA_VISIBLE_DEVICES=none` (or use a CPU "
    "image) for a container that is meant to run without one."
)
EXAMPLE = """\
containers:
  - name: download
    image: vllm/vllm-openai:v0.25.0
    env:
      - name: NVIDIA_VISIBLE_DEVICES
        value: none
"""
TAGS = ("kubernetes", "gpu", "isolation")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"
HIDDEN = ("none", "void")


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload in objects.workloads:
        if workload.gpus > 0 or not workload.gpus_known:
            continue
        for container in workload.all_containers:
            hidden = (container.env_value("NVIDIA_VISIBLE_DEVICES") or "").lower() in HIDDEN
            if bundles_cuda(container.image) and not hidden:
                message = f"container {container.name!r} runs CUDA image {container.image!r} but its pod requests no GPU"
                yield Issue(ID, f"{container.pointer}/image", message, obj=workload.obj)
