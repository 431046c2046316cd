"""No spec string ever becomes template code: it reaches the manifests literally, or is rejected."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

PAYLOADS = ['{{ fail "injected" }}', "{{ .Release.Name }}"]
RICH_SPEC: dict[str, Any] = {
    "apiVersion": "chartgen/v1",
    "kind": "ModelService",
    "metadata": {
        "name": "inject",
        "team": "t",
        "owner": "o@example.com",
        "description": "d",
        "labels": {"l": "v"},
        "annotations": {"a": "v"},
    },
    "spec": {
        "runtime": "vllm",
        "image": {"repository": "vllm/vllm-openai", "tag": "v0.11.0", "pullSecrets": ["regcred"]},
        "model": {
            "source": "hf://org/model@abc",
            "servedName": "served",
            "sizeGiB": 4,
            "credentials": {"secretName": "hf", "key": "token"},
        },
        "engine": {
            "dtype": "bfloat16",
            "quantization": "awq",
            "extraArgs": ["--enable-prefix-caching"],
        },
        "resources": {"gpu": {"count": 1}},
        "service": {"annotations": {"s": "v"}},
        "exposure": {
            "type": "ingress",
            "host": "h.example.com",
            "className": "nginx",
            "tlsSecret": "tls",
            "annotations": {"i": "v"},
        },
        "monitoring": {"labels": {"release": "prom"}},
        "scheduling": {"nodeSelector": {"pool": "gpu"}, "priorityClassName": "high"},
        "security": {
            "serviceAccount": {"annotations": {"iam": "role"}},
            "networkPolicy": {"allowNamespaces": ["ingress"]},
        },
        "env": [
            {"name": "MODE", "value": "fast"},
            {"name": "KEY", "secretKeyRef": {"name": "s", "key": "k"}},
        ],
        "extraObjects": [
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": "extra"},
                "data": {"k": "v"},
            }
        ],
    },
}


def string_paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from string_paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from string_paths(value, (*path, index))
    elif isinstance(node, str) and path[0] not in ("apiVersion", "kind"):
        yield path


def with_value(spec: dict[str, Any], path: tuple[Any, ...], value: str) -> dict[str, Any]:
    mutated = copy.deepcopy(spec)
    target: Any = mutated
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return mutated


def render(spec: dict[str, Any], tmp: Path) -> str | None:
    """The rendered manifests, or None when the loader rejects the spec."""
    from chartgen.chart.build import build_chart
    from chartgen.errors import SpecErrors
    from chartgen.helm import get_engine
    from chartgen.helm.engine import RenderOptions
    from chartgen.spec import load_specs

    spec_file = tmp / "spec.yaml"
    spec_file.write_text(yaml.safe_dump(spec))
    try:
        (doc,) = load_specs([spec_file])
    except SpecErrors:
        return None
    chart = build_chart(doc, tmp / "out")
    docs = get_engine("embedded").render(chart, RenderOptions(release="victim", namespace="ml"))
    return "".join(d.text for d in docs)


@pytest.fixture(scope="module")
def baseline_release_mentions(tmp_path_factory: pytest.TempPathFactory) -> int:
    text = render(RICH_SPEC, tmp_path_factory.mktemp("baseline"))
    assert text is not None
    return text.count("victim")


@pytest.mark.parametrize("path", list(string_paths(RICH_SPEC)), ids=lambda p: ".".join(map(str, p)))
def test_every_string_field_stays_data(
    path: tuple[Any, ...], tmp_path: Path, baseline_release_mentions: int
) -> None:
    for index, payload in enumerate(PAYLOADS):
        workdir = tmp_path / str(index)
        workdir.mkdir()
        # An evaluated `fail` would raise here; an evaluated `.Release.Name` would add a "victim".
        text = render(with_value(RICH_SPEC, path, payload), workdir)
        if text is None:
            continue  # the loader rejected the value: it never reached a template
        assert text.count("victim") == baseline_release_mentions


def test_rendered_strings_appear_literally(tmp_path: Path) -> None:
    spec = with_value(RICH_SPEC, ("spec", "env", 0, "value"), PAYLOADS[0])
    spec = with_value(spec, ("metadata", "annotations", "a"), PAYLOADS[1])
    text = render(spec, tmp_path)
    assert text is not None
    assert (
        "value: '{{ fail \"injected\" }}'" in text or 'value: "{{ fail \\"injected\\" }}"' in text
    )
    assert "{{ .Release.Name }}" in text
