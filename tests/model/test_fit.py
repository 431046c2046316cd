"""GPU fit: weights and KV headroom per GPU against the catalog's usable memory (issue 12 #4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chartgen import catalog
from chartgen.model.fit import (
    Architecture,
    footprint,
    gpu_fit,
    memory_gib,
    needed_gib,
    spec_fit,
    weights_gib,
)
from tests.spec.conftest import run_cli

SPEC = """\
apiVersion: chartgen/v1
kind: ModelService
metadata:
  name: big
spec:
  runtime: vllm
  model:
    source: hf://meta-llama/Llama-3.1-70B-Instruct@main
    sizeGiB: 140
  resources:
    gpu:
      count: {count}
{product}"""


def doc(count: int, product: str | None, mig: str = "", **model: object) -> dict[str, Any]:
    gpu: dict[str, object] = {"count": count}
    if product:
        gpu["product"] = product
    if mig:
        gpu["mig"] = mig
    return {
        "metadata": {"name": "m"},
        "spec": {
            "runtime": "vllm",
            "model": {"source": "hf://o/m", **model},
            "resources": {"gpu": gpu},
        },
    }


def test_140_gib_on_one_l4_exits_2_naming_the_gpus_needed(tmp_path: Path) -> None:
    spec = tmp_path / "big.yaml"
    spec.write_text(SPEC.format(count=1, product="      product: L4\n"))
    code, _, err = run_cli("build", str(spec), "-o", str(tmp_path / "out"))
    assert code == 2, err
    assert f"{spec}:12:7:" in err  # the resources.gpu.count line
    assert "does not fit 1 x L4" in err and "no count of L4 within one node fits" in err
    assert "2 x H200-141GB" in err and "4 x H100-80GB" in err
    assert not (tmp_path / "out").exists()


def test_pinned_product_names_the_smallest_count(tmp_path: Path) -> None:
    spec = tmp_path / "big.yaml"
    spec.write_text(SPEC.format(count=1, product="      product: H100-80GB\n"))
    code, _, err = run_cli("build", str(spec), "-o", str(tmp_path / "out"))
    assert code == 2 and "use 4 x H100-80GB" in err, err


def test_no_product_is_a_warning_naming_the_assumption(tmp_path: Path) -> None:
    spec = tmp_path / "big.yaml"
    spec.write_text(SPEC.format(count=4, product=""))
    code, _, err = run_cli("build", str(spec), "-o", str(tmp_path / "out"))
    assert code == 0, err
    assert "resources.gpu.product is not set" in err and "H100-80GB or larger" in err
    assert "KV headroom 20% of the weights" in err and "0.9 of GPU memory usable" in err


def test_usable_memory_is_the_driver_total_times_utilisation() -> None:
    l4 = catalog.gpu_product("L4")
    assert memory_gib(l4) == pytest.approx(23034 / 1024)
    fit = spec_fit(doc(1, "L4", sizeGiB=16))
    assert fit is not None and fit.fits
    assert fit.available_gib == pytest.approx(23034 / 1024 * 0.9)
    assert fit.needed_gib == pytest.approx(16 * 1.2)


def test_spec_utilisation_overrides_the_runtime_default() -> None:
    data = doc(1, "L4", sizeGiB=16)
    data["spec"]["engine"] = {"gpuMemoryUtilization": 0.5}
    fit = spec_fit(data)
    assert fit is not None and not fit.fits and fit.utilization == 0.5


def test_mig_slice_memory_comes_from_the_profile() -> None:
    a100 = catalog.gpu_product("A100-80GB")
    assert memory_gib(a100, "3g.40gb") == pytest.approx(40e9 / 2**30)
    fit = spec_fit(doc(1, "A100-80GB", sizeGiB=36, mig="3g.40gb"))
    assert fit is not None and not fit.fits and fit.product == "A100-80GB MIG 3g.40gb"


def test_size_from_parameters_and_quantization() -> None:
    bf16 = weights_gib(None, 8, "bfloat16")
    assert bf16 == (pytest.approx(8e9 * 2 / 2**30), "8B parameters x 2 bytes (dtype bfloat16)")
    awq = weights_gib(None, 70, quantization="awq")
    assert awq is not None and awq[0] == pytest.approx(70e9 * 0.5 / 2**30)
    assert weights_gib(None, 70, quantization="no-such-method") is None
    assert weights_gib(16, 70) == (16.0, "model.sizeGiB 16")


def test_kv_cache_from_architecture() -> None:
    llama8b = Architecture(layers=32, kv_heads=8, head_dim=128)
    fp = footprint(16, architecture=llama8b, context_tokens=8192)
    assert fp is not None and fp.kv_gib == pytest.approx(1.0)  # 128 KiB/token x 8192
    assert needed_gib(fp, 2) == pytest.approx(8 + 0.5 + 1.0)
    long = footprint(16, architecture=llama8b, context_tokens=131072)
    assert long is not None
    fit = gpu_fit(long, gpus=1, utilization=0.9, product=catalog.gpu_product("L4"))
    assert not fit.fits and fit.needed_gib == pytest.approx(16 + 16 + 1)


def test_every_example_fits() -> None:
    import yaml

    for path in sorted(Path("examples").glob("*.yaml")):
        fit = spec_fit(yaml.safe_load(path.read_text()))
        assert fit is None or fit.fits, (path, fit)
