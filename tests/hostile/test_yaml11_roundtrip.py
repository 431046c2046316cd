"""Every string chartgen writes into values.yaml reads back, through Helm's own YAML 1.1 reader
(go-yaml), as the same string: rendered with the real Helm CLIs and the embedded SDK."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from chartgen.helm.engine import RenderOptions, get_engine
from tests.chart.helpers import helm_template
from tests.hostile.conftest import chartgen

# Each YAML 1.1 / go-yaml special form: booleans, numbers in every base, null, dates, sexagesimal.
SPECIAL = [
    "y",
    "n",
    "Y",
    "N",
    "yes",
    "no",
    "on",
    "off",
    "On",
    "OFF",
    "true",
    "False",
    "1e3",
    "-1e3",
    "0o17",
    "+.5",
    ".5",
    "~",
    "null",
    "Null",
    "0x1f",
    "1_000",
    "12:30",
    "2001-12-14",
    "2001-12-14T21:59:43.10-05:00",
    "0b101",
    "017",
    "1",
    "-1",
    "+1",
    "1.0",
    ".inf",
    "-.Inf",
    ".NaN",
    "=",
    "<<",
    "0",
    "1:2:3",
]


def _label_value(index: int, text: str) -> str:
    """Label values must be valid label values: map each form to a label-safe one when needed."""
    return (
        text if all(c.isalnum() or c in "-_." for c in text) and text[:1].isalnum() else f"v{index}"
    )


def _key(text: str) -> str:
    """As a key: Helm's toYaml (go-yaml) writes a `<<` key unquoted, a merge key: not ours to fix."""
    return "merge" if text == "<<" else text


def _spec() -> dict[str, Any]:
    labels = {f"k{i}": _label_value(i, s) for i, s in enumerate(SPECIAL)}
    annotations = {_key(s): s for s in SPECIAL}
    return {
        "apiVersion": "chartgen/v1",
        "kind": "ModelService",
        "metadata": {"name": "yaml11", "labels": labels, "annotations": annotations},
        "spec": {
            "runtime": "custom",
            "image": {"repository": "registry.example.com/ml/x", "tag": "1.0"},
            "model": {"source": "https://models.example.com/x.tar", "sizeGiB": 1},
            "custom": {
                "command": ["serve", *SPECIAL],
                "args": list(SPECIAL),
                "ports": {"http": 8080},
                "health": {"startup": "/ready", "readiness": "/ready", "liveness": "/ready"},
            },
            "resources": {"cpu": "1", "memory": "1Gi"},
            "env": [{"name": f"E{i}", "value": s} for i, s in enumerate(SPECIAL)],
            "scheduling": {
                "nodeSelector": {f"pool{i}": _label_value(i, s) for i, s in enumerate(SPECIAL)},
                "tolerations": [
                    {
                        "key": "k",
                        "operator": "Equal",
                        "value": _label_value(i, s),
                        "effect": "NoSchedule",
                    }
                    for i, s in enumerate(SPECIAL)
                ],
            },
            "service": {"annotations": {f"s{i}": s for i, s in enumerate(SPECIAL)}},
            "extraObjects": [
                {
                    "apiVersion": "v1",
                    "kind": "ConfigMap",
                    "metadata": {"name": "forms"},
                    "data": {_key(s): s for s in SPECIAL},
                }
            ],
        },
    }


@pytest.fixture(scope="module")
def chart(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("yaml11")
    spec = work / "yaml11.yaml"
    spec.write_text(json.dumps(_spec(), indent=1), encoding="utf-8")  # JSON: every string quoted
    done = chartgen("build", str(spec), "-o", str(work / "out"))
    assert done.code == 0, done.err
    return work / "out" / "yaml11"


def _check(rendered: list[dict[str, Any]]) -> None:
    workload = next(o for o in rendered if o["kind"] in ("Deployment", "StatefulSet"))
    meta = workload["metadata"]
    for index, text in enumerate(SPECIAL):
        assert meta["labels"][f"k{index}"] == _label_value(index, text)
        assert meta["annotations"][_key(text)] == text, text
    pod = workload["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["args"] == SPECIAL
    assert container["command"] == ["serve", *SPECIAL]
    env = {e["name"]: e.get("value") for e in container["env"]}
    for index, text in enumerate(SPECIAL):
        assert env[f"E{index}"] == text, (index, text, env[f"E{index}"])
        assert pod["nodeSelector"][f"pool{index}"] == _label_value(index, text)
    values = [t["value"] for t in pod["tolerations"] if t.get("key") == "k"]
    assert values == [_label_value(i, s) for i, s in enumerate(SPECIAL)]
    service = next(
        o
        for o in rendered
        if o["kind"] == "Service" and "s0" in (o["metadata"].get("annotations") or {})
    )
    for index, text in enumerate(SPECIAL):
        assert service["metadata"]["annotations"][f"s{index}"] == text
    forms = next(
        o for o in rendered if o["kind"] == "ConfigMap" and o["metadata"]["name"] == "forms"
    )
    for text in SPECIAL:
        assert forms["data"][_key(text)] == text


def _plain(text: str) -> list[dict[str, Any]]:
    """Rendered output read back as JSON-like data, strings staying strings (as kubectl sends)."""
    return [doc for doc in yaml.load_all(text, Loader=_StringsLoader) if doc]


class _StringsLoader(yaml.SafeLoader):
    """The rendered manifests are read as strings where quoted: timestamps kept as text."""


for _tag in ("timestamp", "value", "merge"):  # go-yaml reads these values as strings
    _StringsLoader.add_constructor(
        f"tag:yaml.org,2002:{_tag}", lambda loader, node: loader.construct_scalar(node)
    )


def test_every_yaml11_form_survives_helm_cli(chart: Path, helm_cli: Path) -> None:
    done = helm_template(helm_cli, chart)
    assert done.returncode == 0, done.stderr
    _check(_plain(done.stdout))


def test_every_yaml11_form_survives_embedded_helm(chart: Path) -> None:
    docs = get_engine("embedded").render(chart, RenderOptions())
    _check([d for doc in docs for d in _plain(doc.text)])


def test_values_yaml_quotes_each_form(chart: Path) -> None:
    text = (chart / "values.yaml").read_text(encoding="utf-8")
    for form in ("1e3", "-1e3", "0o17", "+.5", "y", "N", "1_000"):
        assert f"'{form}'" in text or f'"{form}"' in text, form
