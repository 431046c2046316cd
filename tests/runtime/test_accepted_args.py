"""Runtime arguments checked against the runtime itself: every flag and variable the chart gives a
runtime, for every example and every `chartgen init` spec, is one that runtime declares
(catalog/accepted/RUNTIME.yaml, transcribed from the runtime's own argument parser)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from chartgen import catalog
from chartgen.model.plan import API_KEY_ENV
from chartgen.spec.starter import starter_spec
from tests.chart.helpers import EXAMPLES
from tests.runtime.charts import new_build, render, server_containers

ACCEPTED = Path(catalog.__file__).parent / "accepted"
OPTION = re.compile(r"^--?[A-Za-z]")  # an option, not a negative number such as -1
RUNTIMES = ["tgi", "vllm", "sglang", "tfserving", "triton", "torchserve"]
# Set by the chart for every runtime, read by libraries, not by the runtime's argument parser.
LIBRARY_ENV = {
    "HF_HOME",
    "HUGGINGFACE_HUB_CACHE",
    "HOME",
    "USER",
    "LOGNAME",
    "HF_TOKEN",
    "NVIDIA_VISIBLE_DEVICES",
    "HF_HUB_OFFLINE",
    "TRANSFORMERS_OFFLINE",
}


def kebab(fields: list[str]) -> set[str]:
    return {"--" + f.replace("_", "-") for f in fields}


def data_of(runtime: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ACCEPTED / f"{runtime}.yaml").read_text())
    return data


def accepted(runtime: str) -> tuple[set[str], set[str]]:
    """The flags and the variables `runtime` reads, as its data file records them."""
    data = data_of(runtime)
    both = data.get("long_and_env", [])
    flags = kebab(both + data.get("long_only", []) + data.get("long", []) + data.get("lora", []))
    flags |= set(data.get("flags", [])) | set(data.get("newer_flags", {}))
    return flags, {f.upper() for f in both} | set(data.get("env", {}))


def rejected(runtime: str, objs: list[dict[str, Any]]) -> list[str]:
    """Flags and variables the runtime does not declare, in every server container (a
    LeaderWorkerSet's leader and worker run it with different arguments)."""
    flags, env = accepted(runtime)
    found: list[str] = []
    for container in server_containers(objs):
        bad = [a.split("=", 1)[0] for a in container.get("args", []) if OPTION.match(a)]
        found += [a for a in bad if a not in flags]
        names = {e["name"] for e in container.get("env", [])}
        # The chart's own API-key variable is read by the kubelet, as `$(CHARTGEN_API_KEY)` in args.
        found += sorted(names - env - LIBRARY_ENV - {API_KEY_ENV})
    return found


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_the_runtime_declares_what_chartgen_maps(runtime: str) -> None:
    flags, env = accepted(runtime)
    profile = catalog.runtime(runtime)
    base = {a.split("=", 1)[0] for a in profile.base_args if a.startswith("-")}
    assert base <= flags, base - flags
    for key, mapping in profile.args.items():
        assert (mapping.env or "") in env | {""}, key
        if mapping.flag and mapping.style != "positional":
            assert mapping.flag in flags, key
        switched = {a for a in mapping.true_args + mapping.false_args if a.startswith("--")}
        assert switched <= flags, (key, switched - flags)
        undeclared = set(data_of(runtime).get("undeclared_aliases", {}))
        assert set(mapping.aliases) - undeclared <= flags, key


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_every_chart_passes_only_accepted_arguments(
    runtime: str, helm3: Path, tmp_path: Path
) -> None:
    specs = [p for p in EXAMPLES.glob("*.yaml") if f"runtime: {runtime}" in p.read_text()]
    for platform in catalog.platform_names():
        init = tmp_path / f"init-{platform}.yaml"
        init.write_text(starter_spec(f"{runtime}-{platform}", runtime, platform, 1))
        specs.append(init)
    assert len(specs) > len(catalog.platform_names())
    for number, spec in enumerate(specs):
        objs = render(helm3, new_build(spec, tmp_path / str(number)))
        assert rejected(runtime, objs) == [], spec


def test_an_unknown_launcher_variable_is_caught(helm3: Path, tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    text = (EXAMPLES / "tgi-mistral-aks.yaml").read_text()
    spec.write_text(text + "  env:\n    - {name: MAX_TOTAL_TOKEN, value: '4096'}\n")
    assert rejected("tgi", render(helm3, new_build(spec, tmp_path))) == ["MAX_TOTAL_TOKEN"]


def test_an_unknown_vllm_flag_is_caught(helm3: Path, tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    text = (EXAMPLES / "vllm-llama-8b.yaml").read_text()
    text = text.replace(
        "    dtype: bfloat16\n",
        "    dtype: bfloat16\n    extraArgs: [--max-model-length, '4096']\n",
    )
    spec.write_text(text)
    assert rejected("vllm", render(helm3, new_build(spec, tmp_path))) == ["--max-model-length"]
