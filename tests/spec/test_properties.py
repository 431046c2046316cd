"""Property tests: mutated specs (values, keys, structure, raw text) never crash the loader or CLI."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chartgen.errors import SpecErrors
from chartgen.findings import Finding
from chartgen.spec import check_specs
from tests.spec.conftest import VALID_SPEC, run_cli

BASE: dict[str, Any] = yaml.safe_load(VALID_SPEC)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(["vllm", "16Gi", "0", "", "hf://a/b", "ReadWriteOnce", "1g.10gb"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
PROFILE = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def containers(node: Any) -> list[Any]:
    """Every dict and list in the document, the root first."""
    found = [node] if isinstance(node, (dict, list)) else []
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    for child in children:
        found += containers(child)
    return found


@st.composite
def mutated_specs(draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        target = draw(st.sampled_from(containers(data)))
        keys = list(target) if isinstance(target, dict) else list(range(len(target)))
        action = draw(st.sampled_from(["replace", "delete", "add", "wrap"]))
        if action == "add" or not keys:
            if isinstance(target, dict):
                target[draw(st.text(max_size=10))] = draw(VALUES)
            else:
                target.append(draw(VALUES))
            continue
        key = draw(st.sampled_from(keys))
        if action == "delete":
            del target[key]
        elif action == "wrap":
            target[key] = [target[key]]
        else:
            target[key] = draw(VALUES)
    return data


def assert_clean_outcome(path: Path) -> None:
    try:
        docs, warnings = check_specs([path])
    except SpecErrors as errors:
        assert errors.problems
        for problem in errors.problems:
            assert isinstance(problem, Finding) and str(problem).startswith(str(path))
        return
    assert all(w.severity.label == "warning" for w in warnings) and len(docs) <= 1


@PROFILE
@given(data=mutated_specs())
def test_mutated_data_loads_or_raises_spec_errors(
    tmp_path_factory: pytest.TempPathFactory, data: dict[str, Any]
) -> None:
    path = tmp_path_factory.mktemp("m") / "spec.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    assert_clean_outcome(path)


@PROFILE
@given(
    position=st.integers(0, len(VALID_SPEC)),
    cut=st.integers(0, 12),
    insert=st.text(alphabet=st.sampled_from([*"[]{}:-&*!|>'\"#\t\n ,?%@`", "a", "1"]), max_size=6),
)
def test_mutated_text_loads_or_raises_spec_errors(
    tmp_path_factory: pytest.TempPathFactory, position: int, cut: int, insert: str
) -> None:
    path = tmp_path_factory.mktemp("t") / "spec.yaml"
    path.write_text(VALID_SPEC[:position] + insert + VALID_SPEC[position + cut :])
    assert_clean_outcome(path)


@settings(max_examples=40, deadline=None)
@given(data=mutated_specs())
def test_cli_exit_code_is_0_1_or_2_without_traceback(
    tmp_path_factory: pytest.TempPathFactory, data: dict[str, Any]
) -> None:
    path = tmp_path_factory.mktemp("c") / "spec.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    code, _, err = run_cli("lint", "--schema-only", str(path))
    assert code in (0, 1, 2)
    assert "Traceback" not in err and "internal error" not in err
