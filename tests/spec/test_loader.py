"""Loading: YAML safety and semantics, positions, directories, all problems at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from chartgen.errors import Location, SpecErrors
from chartgen.spec import MAX_FILE_BYTES, MAX_NODES, SpecDocument, check_specs, load_specs
from tests.spec.conftest import VALID_SPEC


def problems_of(*paths: Path) -> list[str]:
    with pytest.raises(SpecErrors) as raised:
        load_specs(list(paths))
    return [str(problem) for problem in raised.value.problems]


def test_valid_spec_loads_with_plain_data(valid_spec: Path) -> None:
    (doc,) = load_specs([valid_spec])
    assert isinstance(doc, SpecDocument)
    assert (doc.path, doc.index, doc.name) == (valid_spec, 0, "llama")
    assert doc.data["spec"]["resources"]["gpu"] == {"count": 2, "product": "L4"}
    assert type(doc.data["spec"]["resources"]) is dict
    assert doc.data["spec"]["env"] == [{"name": "LOG_LEVEL", "value": "info"}]


def test_location_of_a_node_and_of_a_missing_node(valid_spec: Path) -> None:
    (doc,) = load_specs([valid_spec])
    assert doc.location_of("$.spec.resources.gpu.count") == Location(str(valid_spec), 19, 11)
    assert doc.location_of("$.spec.env[0].name") == Location(str(valid_spec), 22, 8)
    assert doc.location_of("$.spec.probes.readiness") == Location(str(valid_spec), 6, 1)
    assert doc.location_of("$.spec.engine.extraArgs[0]") == Location(str(valid_spec), 15, 17)


def test_yaml_12_keeps_on_and_yes_as_strings_and_dates_as_text(tmp_path: Path) -> None:
    spec = VALID_SPEC.replace(
        "labels: {team: ml}", "labels: {team: ml}\n  annotations: {a: on, b: yes, c: 2024-01-02}"
    )
    path = tmp_path / "s.yaml"
    path.write_text(spec)
    (doc,) = load_specs([path])
    assert doc.data["metadata"]["annotations"] == {"a": "on", "b": "yes", "c": "2024-01-02"}


def test_several_documents_in_one_file(tmp_path: Path) -> None:
    second = VALID_SPEC.replace("name: llama", "name: llama-b")
    path = tmp_path / "two.yaml"
    path.write_text(VALID_SPEC + "---\n" + second + "---\n")
    docs = load_specs([path])
    assert [(d.name, d.index) for d in docs] == [("llama", 0), ("llama-b", 1)]
    assert docs[1].location_of("$.metadata.name").line == 28


def test_every_problem_of_every_file_at_once(tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(
        VALID_SPEC.replace("maxReplicas: 3", "maxReplicas: x").replace(
            "runtime: vllm", "runtime: vlm"
        )
    )
    second.write_text(VALID_SPEC.replace("platform: gke", "platform: gcp"))
    found = problems_of(first, second)
    assert len(found) == 3
    assert found[0].startswith(f"{first}:7:3: 'vlm' is not one of")
    assert "did you mean 'vllm'" in found[0]
    assert found[1].startswith(f"{first}:20:")
    assert found[2].startswith(f"{second}:8:3: 'gcp' is not one of")


def test_missing_file_is_one_line_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    assert problems_of(missing) == [f"{missing}: file not found"]


def test_empty_and_comment_only_files(tmp_path: Path) -> None:
    empty, comments = tmp_path / "e.yaml", tmp_path / "c.yaml"
    empty.write_text("")
    comments.write_text("# nothing here\n---\n")
    assert problems_of(empty, comments) == [
        f"{comments}: empty file: expected a chartgen spec",
        f"{empty}: empty file: expected a chartgen spec",
    ]


def test_file_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text(VALID_SPEC + "#" * MAX_FILE_BYTES)
    (found,) = problems_of(big)
    assert "larger than 1048576 bytes" in found


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(VALID_SPEC.encode() + b"  # caf\xe9\n")
    (found,) = problems_of(path)
    assert found.startswith(f"{path}:24:8: invalid UTF-8 (byte 0xe9)")


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID_SPEC.encode())
    assert load_specs([path])[0].name == "llama"


def test_alias_bomb_stops_at_the_node_limit(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    (found,) = problems_of(path)
    assert f"more than {MAX_NODES} nodes" in found


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n")
    (found,) = problems_of(path)
    assert "nested" in found and "Traceback" not in found


def test_merge_keys_fill_unset_keys(tmp_path: Path) -> None:
    spec = VALID_SPEC.replace(
        "  env:\n",
        "  probes:\n    readiness: &timing {periodSeconds: 5, failureThreshold: 3}\n"
        "    liveness: {<<: *timing, periodSeconds: 20}\n  env:\n",
    )
    path = tmp_path / "merge.yaml"
    path.write_text(spec)
    (doc,) = load_specs([path])
    assert doc.data["spec"]["probes"]["liveness"] == {"periodSeconds": 20, "failureThreshold": 3}


def test_directory_loads_spec_files_only_sorted_and_recursive(tmp_path: Path) -> None:
    (tmp_path / "nested").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b.yaml").write_text(VALID_SPEC.replace("name: llama", "name: bee"))
    (tmp_path / "nested" / "a.yml").write_text(VALID_SPEC.replace("name: llama", "name: ant"))
    (tmp_path / ".hidden" / "c.yaml").write_text(VALID_SPEC.replace("name: llama", "name: cat"))
    (tmp_path / "values.yaml").write_text("replicaCount: 1\n")
    (tmp_path / "notes.txt").write_text(VALID_SPEC)
    assert [doc.name for doc in load_specs([tmp_path])] == ["bee", "ant"]


def test_directory_without_specs_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "values.yaml").write_text("replicaCount: 1\n")
    (found,) = problems_of(tmp_path)
    assert found.startswith(f"{tmp_path}: no spec files here")


def test_duplicate_service_names_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(VALID_SPEC)
    (tmp_path / "b.yaml").write_text(VALID_SPEC)
    (found,) = problems_of(tmp_path)
    assert found.startswith(f"{tmp_path / 'b.yaml'}:4:3: metadata.name 'llama' is already used by")


def test_warnings_are_returned_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(VALID_SPEC.replace("memory: 32Gi", "memory: 8Gi"))
    docs, warnings = check_specs([path])
    assert [doc.name for doc in docs] == ["llama"]
    assert [str(w) for w in warnings] == [
        f"{path}:18:5: warning: resources.memory 8Gi is below model.sizeGiB (16 GiB): loaders stage "
        "the weights in host memory (shmSize is added on top) (at $.spec.resources.memory)"
    ]
    assert (
        warnings[0].severity.label == "warning"
        and warnings[0].json_path == "$.spec.resources.memory"
    )


def test_examples_load_clean() -> None:
    examples = Path(__file__).resolve().parents[2] / "examples"
    docs, warnings = check_specs([examples])
    assert len(docs) >= 10 and warnings == []
