"""Finding 5: AMD and Intel GPUs get the runtime's ROCm / XPU image from the catalog, or the spec
is refused when the runtime has none (a CUDA image cannot use amd.com/gpu)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chartgen import catalog
from tests.runtime.charts import new_build, old_build, render, server_container
from tests.spec.conftest import run_cli

SPEC = """\
apiVersion: chartgen/v1
kind: ModelService
metadata: {{name: amd-llm}}
spec:
  runtime: {runtime}
  model: {{source: 'hf://Qwen/Qwen2.5-7B-Instruct@main', sizeGiB: 15}}
  resources: {{gpu: {{count: 1, vendor: {vendor}{product}}}}}
"""


def write(tmp_path: Path, runtime: str, vendor: str) -> Path:
    spec = tmp_path / "spec.yaml"
    product = ", product: MI300X" if vendor == "amd" else ""
    spec.write_text(SPEC.format(runtime=runtime, vendor=vendor, product=product))
    return spec


def image_of(helm: Path, chart: Path) -> str:
    image: str = server_container(render(helm, chart))["image"]
    return image


def assert_vendor_image(image: str, runtime: str, vendor: str) -> None:
    assert image == catalog.runtime(runtime).vendor_images[vendor], image


@pytest.mark.parametrize(
    ("runtime", "vendor"), [("vllm", "amd"), ("sglang", "amd"), ("tgi", "amd"), ("tgi", "intel")]
)
def test_vendor_gets_its_image(helm3: Path, tmp_path: Path, runtime: str, vendor: str) -> None:
    chart = new_build(write(tmp_path, runtime, vendor), tmp_path)
    assert_vendor_image(image_of(helm3, chart), runtime, vendor)
    resources = server_container(render(helm3, chart))["resources"]["limits"]
    assert catalog.gpu_vendor(vendor).resource in resources


def test_amd_got_the_cuda_image_before(helm3: Path, tmp_path: Path) -> None:
    chart = old_build(write(tmp_path, "vllm", "amd"), tmp_path)
    image = image_of(helm3, chart)
    assert image.startswith("vllm/vllm-openai:")
    with pytest.raises(AssertionError):
        assert_vendor_image(image, "vllm", "amd")


@pytest.mark.parametrize(("runtime", "vendor"), [("triton", "amd"), ("vllm", "intel")])
def test_no_image_for_the_vendor_exits_2(tmp_path: Path, runtime: str, vendor: str) -> None:
    spec = write(tmp_path, runtime, vendor)
    code, _, err = run_cli("build", str(spec), "-o", str(tmp_path / "out"))
    assert code == 2 and f"has no image for {vendor} GPUs" in err, err
    assert f"{spec}:7:" in err
