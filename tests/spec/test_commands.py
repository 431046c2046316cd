"""`chartgen init`, `chartgen schema`, spec checks through `chartgen lint`, the schema file and docs/spec.md."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from chartgen import catalog
from chartgen.spec import check_specs, schema, schema_id, schema_text
from chartgen.spec.docs import DOC_PATH, render
from chartgen.spec.schema import validator
from tests.spec.conftest import run_cli

RUNTIMES = ("vllm", "sglang", "triton", "tgi", "torchserve", "tfserving", "custom")
PLATFORMS = ("generic", "gke", "eks", "aks", "openshift")
REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("runtime", "platform", "gpus"), list(itertools.product(RUNTIMES, PLATFORMS, (0, 1, 4)))
)
def test_init_output_loads_clean(tmp_path: Path, runtime: str, platform: str, gpus: int) -> None:
    code, out, err = run_cli(
        "init", "my-model", "--runtime", runtime, "--platform", platform, "--gpus", str(gpus)
    )
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == f"# yaml-language-server: $schema={schema_id()}"
    path = tmp_path / "spec.yaml"
    path.write_text(out)
    docs, warnings = check_specs([path])
    assert [d.name for d in docs] == ["my-model"] and warnings == []
    assert docs[0].data["spec"]["runtime"] == runtime
    assert docs[0].data["spec"].get("resources", {}).get("gpu", {}).get("count", 0) == gpus


def test_init_writes_a_file_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "spec.yaml"
    assert run_cli("init", "svc", "--runtime", "tgi", "-o", str(target))[0] == 0
    first = target.read_text()
    code, _, err = run_cli("init", "svc", "--runtime", "vllm", "-o", str(target))
    assert code == 2 and "already exists; use --force" in err and target.read_text() == first
    assert run_cli("init", "svc", "--runtime", "vllm", "-o", str(target), "--force")[0] == 0
    assert "runtime: vllm" in target.read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["spec.yaml"]  # no temporary file left


def test_init_schema_ref_and_bad_name(tmp_path: Path) -> None:
    code, out, _ = run_cli(
        "init", "svc", "--runtime", "vllm", "--schema-ref", "./modelservice-v1.schema.json"
    )
    assert code == 0 and out.startswith(
        "# yaml-language-server: $schema=./modelservice-v1.schema.json\n"
    )
    code, _, err = run_cli("init", "Bad_Name", "--runtime", "vllm")
    assert code == 2 and "DNS-1035" in err and "Traceback" not in err
    assert run_cli("init", "svc", "--runtime", "nope")[0] == 2


def test_schema_command_prints_the_file() -> None:
    code, out, _ = run_cli("schema")
    assert code == 0
    assert out == (REPO / "schemas" / "modelservice-v1.schema.json").read_text(encoding="utf-8")
    assert json.loads(out) == schema()


def test_schema_command_writes_a_local_copy(tmp_path: Path) -> None:
    target = tmp_path / "modelservice-v1.schema.json"
    assert run_cli("schema", "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == schema_text()
    assert run_cli("schema", "-o", str(target))[0] == 0  # same content: nothing to overwrite
    target.write_text("{}")
    assert run_cli("schema", "-o", str(target))[0] == 2
    assert run_cli("schema", "-o", str(target), "--force")[0] == 0


def test_schema_is_valid_draft_2020_12_with_id_title_and_descriptions() -> None:
    document = schema()
    Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["$id"].endswith("/modelservice-v1.schema.json") and document["title"]
    undescribed = [path for path, node in _properties(document, "$") if "description" not in node]
    assert undescribed == []


def _properties(node: object, path: str) -> list[tuple[str, dict[str, object]]]:
    found: list[tuple[str, dict[str, object]]] = []
    if isinstance(node, dict):
        for key, child in node.get("properties", {}).items():
            found.append((f"{path}.{key}", child))
        for key, child in node.items():
            found += _properties(child, f"{path}/{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += _properties(child, f"{path}[{index}]")
    return found


def test_schema_enums_match_the_catalog() -> None:
    spec = schema()["properties"]["spec"]["properties"]
    assert set(spec["runtime"]["enum"]) == set(catalog.runtime_names())
    assert set(spec["platform"]["enum"]) == set(catalog.platform_names())
    vendors = spec["resources"]["properties"]["gpu"]["properties"]["vendor"]["enum"]
    assert set(vendors) == set(catalog.gpu_vendor_names())


def test_schema_patterns_accept_catalog_values() -> None:
    for product in catalog.gpu_product_keys():
        data = {
            "apiVersion": "chartgen/v1",
            "kind": "ModelService",
            "metadata": {"name": "a"},
            "spec": {
                "runtime": "vllm",
                "model": {"source": "hf://a/b"},
                "resources": {"gpu": {"count": 1, "product": product}},
            },
        }
        assert list(validator().iter_errors(data)) == []


def test_docs_reference_is_generated_from_the_schema() -> None:
    assert DOC_PATH == REPO / "docs" / "spec.md"
    assert DOC_PATH.read_text(encoding="utf-8") == render(), "run: python -m chartgen.spec.docs"
    assert "| `spec.resources.gpu.count` | integer | `0` |" in render()


def test_lint_reports_spec_warnings_at_their_line(valid_spec: Path) -> None:
    code, out, _ = run_cli("lint", str(valid_spec))
    assert code == 0 and "0 errors, 0 warnings" in out
    valid_spec.write_text(valid_spec.read_text().replace("memory: 32Gi", "memory: 8Gi"))
    code, out, _ = run_cli("lint", "--fail-on", "warning", str(valid_spec))
    assert code == 1
    assert f"{valid_spec}:18:5: warning: resources.memory 8Gi" in out and "[spec-warning]" in out
