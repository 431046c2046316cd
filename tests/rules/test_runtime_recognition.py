"""Rules recognise a runtime by the catalog's image data and judge it by the catalog's facts."""

from __future__ import annotations

import pytest

from chartgen import catalog
from chartgen.rules.support.objects import Container
from chartgen.rules.support.runtimes import detect


def _container(image: str, command: list[str] | None = None) -> Container:
    data: dict[str, object] = {"name": "server", "image": image}
    if command:
        data["command"] = command
    return Container(data, "/spec/containers/0", init=False)


@pytest.mark.parametrize(
    ("image", "runtime"),
    [
        ("vllm/vllm-openai:v0.25.0", "vllm"),
        ("docker.io/vllm/vllm-openai:v0.25.0", "vllm"),
        ("lmcache/vllm-openai:v0.4.3", "vllm"),  # image_families
        ("rocm/vllm:latest", "vllm"),  # image_families
        ("vllm/vllm-openai-rocm:v0.25.0", "vllm"),  # vendor_images
        ("mirror.example.com:5000/vllm/vllm-openai:v0.25.0", "vllm"),  # a registry mirror
        ("ghcr.io/huggingface/text-generation-inference:3.3.6", "tgi"),
        ("nvcr.io/nvidia/tritonserver:26.06-py3", "triton"),
        ("lmsysorg/sglang:v0.5.13", "sglang"),
    ],
)
def test_images_of_a_runtime_are_recognised(image: str, runtime: str) -> None:
    found = detect(_container(image))
    assert found is not None and found.name == runtime


def test_a_custom_image_is_recognised_by_the_runtime_command() -> None:
    found = detect(
        _container("registry.example.com/team/llm:1", ["python3", "-m", "sglang.launch_server"])
    )
    assert found is not None and found.name == "sglang"


def test_unrelated_images_are_not_a_runtime() -> None:
    assert detect(_container("example.com/vllm-openai-proxy:1")) is None
    assert detect(_container("python:3.12-slim", ["python", "-m", "http.server"])) is None


def test_the_facts_are_the_catalog_profile() -> None:
    found = detect(_container("lmcache/vllm-openai:v0.4.3"))
    assert found is catalog.runtime("vllm")
    assert (found.startup_base_seconds, found.load_throughput_mib_s) == (180, 400)
