"""The catalog API: discovery by directory listing, lookups, errors that name the allowed values."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from chartgen import catalog
from chartgen.errors import UserError

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "schemas" / "modelservice-v1.schema.json").read_text(encoding="utf-8"))
SPEC = SCHEMA["properties"]["spec"]["properties"]


def _data_stems(folder: str) -> set[str]:
    files = (resources.files("chartgen.catalog") / folder).iterdir()
    return {f.name.removesuffix(".yaml") for f in files if f.name.endswith(".yaml")}


def test_runtimes_are_discovered_from_their_directory() -> None:
    assert set(catalog.runtime_names()) == _data_stems("runtimes")


def test_platforms_are_discovered_from_their_directory() -> None:
    assert set(catalog.platform_names()) == _data_stems("platforms")


def test_catalog_covers_exactly_the_runtimes_the_spec_schema_accepts() -> None:
    assert set(catalog.runtime_names()) == set(SPEC["runtime"]["enum"])


def test_catalog_covers_exactly_the_platforms_the_spec_schema_accepts() -> None:
    assert set(catalog.platform_names()) == set(SPEC["platform"]["enum"])


def test_catalog_covers_exactly_the_gpu_vendors_the_spec_schema_accepts() -> None:
    vendor_enum = SPEC["resources"]["properties"]["gpu"]["properties"]["vendor"]["enum"]
    assert set(catalog.gpu_vendor_names()) == set(vendor_enum)


def test_lookup_returns_the_profile_named() -> None:
    assert catalog.runtime("vllm").image_repository == "vllm/vllm-openai"
    assert catalog.platform("gke").product_selector_key == "cloud.google.com/gke-accelerator"
    assert catalog.gpu_vendor("amd").resource == "amd.com/gpu"


def test_profiles_are_read_once() -> None:
    assert catalog.runtime("triton") is catalog.runtime("triton")
    assert catalog.gpu_product("L4") is catalog.gpu_product("l4")


@pytest.mark.parametrize("key", ["h100-80gb", "H100-80GB", "H100-80gb"])
def test_gpu_product_keys_match_case_insensitively(key: str) -> None:
    assert catalog.gpu_product(key).key == "H100-80GB"


def test_unknown_runtime_names_every_known_runtime() -> None:
    with pytest.raises(UserError) as error:
        catalog.runtime("vLLM-openai")
    assert "'vLLM-openai'" in str(error.value)
    assert all(name in str(error.value) for name in catalog.runtime_names())


def test_unknown_platform_names_every_known_platform() -> None:
    with pytest.raises(UserError) as error:
        catalog.platform("gcp")
    assert all(name in str(error.value) for name in catalog.platform_names())


def test_unknown_gpu_vendor_names_every_known_vendor() -> None:
    with pytest.raises(UserError) as error:
        catalog.gpu_vendor("habana")
    assert all(name in str(error.value) for name in catalog.gpu_vendor_names())


def test_unknown_gpu_product_names_every_known_product() -> None:
    with pytest.raises(UserError) as error:
        catalog.gpu_product("A100")
    assert all(key in str(error.value) for key in catalog.gpu_product_keys())
