"""Image references: repository, tag, digest, and which images bundle CUDA."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ImageRef:
    repository: str
    tag: str
    digest: str


def parse_image(reference: str) -> ImageRef:
    """`registry:5000/org/name:tag@sha256:...` -> its parts; the port is not a tag."""
    rest, _, digest = reference.partition("@")
    slash = rest.rfind("/")
    colon = rest.rfind(":")
    if colon > slash:
        return ImageRef(rest[:colon], rest[colon + 1 :], digest)
    return ImageRef(rest, "", digest)


# Images that ship the CUDA user space: serving runtimes and CUDA bases.
CUDA_IMAGES = (
    r"(^|/)vllm/vllm-openai$",
    r"^nvcr\.io/(nvidia|nim)/",
    r"huggingface/text-generation-inference$",
    r"(^|/)lmsysorg/sglang$",
    r"(^|/)nvidia/cuda$",
    r"cuda",
)
CUDA_TAGS = (r"cuda", r"(^|-)gpu($|-)", r"cu\d{2,3}")
# Variants built for something else than NVIDIA GPUs.
NON_CUDA_MARKERS = (r"cpu", r"rocm", r"xpu", r"intel", r"neuron", r"hpu", r"gaudi", r"openvino")


def bundles_cuda(reference: str) -> bool:
    image = parse_image(reference)
    text = f"{image.repository}:{image.tag}"
    if any(re.search(marker, text) for marker in NON_CUDA_MARKERS):
        return False
    return any(re.search(p, image.repository) for p in CUDA_IMAGES) or any(
        re.search(p, image.tag) for p in CUDA_TAGS
    )
