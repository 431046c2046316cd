"""The compiled fast check must agree with jsonschema on every verdict: it decides alone when
an object is valid. Checked on the corpus and on systematic mutations of it."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from chartgen.lint.documents import parse_stream
from chartgen.validate.fastcheck import compile_check
from chartgen.validate.k8s import builtin_schema, load_schema_file, resource_schema_names
from chartgen.validate.store import SchemaStore
from chartgen.validate.versions import newest_bundled, parse_kube_version

CORPUS = Path(__file__).resolve().parent / "corpus"
REPLACEMENTS: list[Any] = ["x", 7, 2.5, 3.0, True, None, [], {}, {"zz": 1}, ["a"]]
PATHS_PER_OBJECT = 14


def _objects() -> list[dict[str, Any]]:
    found = []
    for path in sorted(CORPUS.glob("*/*.yaml")):
        found += [
            obj.data for obj in parse_stream(path.read_text(encoding="utf-8"), str(path)).objects
        ]
    return [obj for obj in found if isinstance(obj.get("kind"), str)]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


def _replace(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    mutated = copy.deepcopy(data)
    target: Any = mutated
    for token in path[:-1]:
        target = target[token]
    target[path[-1]] = value
    return mutated


def _mutations(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    paths = [p for p in _paths(data) if len(p) > 1]  # keep apiVersion/kind to find the schema
    step = max(1, len(paths) // PATHS_PER_OBJECT)
    for path in paths[::step]:
        for value in REPLACEMENTS:
            yield _replace(data, path, value)
        if isinstance(_get(data, path), dict):
            yield _replace(data, path, {**_get(data, path), "unknownField": 1})


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for token in path:
        data = data[token]
    return data


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "loose"])
def test_fast_check_agrees_with_jsonschema(strict: bool) -> None:
    store = SchemaStore(newest_bundled(), strict)
    checked = 0
    for data in _objects():
        schema = store.lookup(str(data.get("apiVersion")), data["kind"])
        if schema is None:
            continue
        fast = compile_check(schema)
        assert fast is not None, data["kind"]
        reference = Draft202012Validator(schema)
        for candidate in [data, *_mutations(data)]:
            assert fast(candidate) == reference.is_valid(candidate), (data["kind"], candidate)
            checked += 1
    assert checked > 3000


def test_every_builtin_kind_compiles() -> None:
    version = parse_kube_version("1.30")
    for name in resource_schema_names(version, True):
        gvk = load_schema_file(version, True, name)["x-kubernetes-group-version-kind"][0]
        group = gvk.get("group", "")
        api_version = f"{group}/{gvk['version']}" if group else gvk["version"]
        schema = builtin_schema(version, True, api_version, gvk["kind"])
        if schema is None:  # e.g. meta kinds (APIGroup): file name and group disagree
            continue
        assert compile_check(schema, lazy=False) is not None, name


def test_a_check_compiles_only_the_parts_objects_reach(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pod spec declares hundreds of fields; an object uses a few dozen: compiling on first
    use does a fraction of the work of compiling the whole schema up front."""
    from chartgen.validate import fastcheck

    compiled: list[object] = []
    compile_one = fastcheck._Compiler.compile

    def counted(self: fastcheck._Compiler, schema: Any) -> fastcheck.Check:
        compiled.append(schema)
        return compile_one(self, schema)

    monkeypatch.setattr(fastcheck._Compiler, "compile", counted)
    store = SchemaStore(newest_bundled(), True)
    schema = store.lookup("apps/v1", "Deployment")
    assert schema is not None
    valid = Draft202012Validator(schema).is_valid
    deployment = next(d for d in _objects() if d["kind"] == "Deployment" and valid(d))
    eager = compile_check(schema, lazy=False)
    everything = len(compiled)
    compiled.clear()
    lazy = compile_check(schema)
    assert eager is not None and lazy is not None
    assert lazy(deployment) is eager(deployment) is True
    assert len(compiled) < everything / 4, (len(compiled), everything)


def test_a_keyword_reached_late_that_the_check_lacks_leaves_the_verdict_to_jsonschema() -> None:
    from chartgen.manifests import ManifestObject
    from chartgen.validate.builtin import BuiltinBackend
    from chartgen.validate.crds import CrdVersion

    spec = {"type": "object", "properties": {"size": {"type": "integer", "multipleOf": 2}}}
    openapi = {"type": "object", "properties": {"spec": spec}}
    crd = CrdVersion("example.com", "v1", "Widget", openapi, "x")
    backend = BuiltinBackend(SchemaStore(newest_bundled(), True, [crd]))

    def widget(spec: dict[str, Any]) -> ManifestObject:
        data = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}}
        return ManifestObject({**data, "spec": spec}, "w.yaml", 1)

    assert backend.check([widget({})]) == [[]]  # `multipleOf` not reached: the fast check says yes
    odd, even = backend.check([widget({"size": 3}), widget({"size": 4})])
    assert [issue.message for issue in odd] == ["3 is not a multiple of 2"]
    assert even == []
