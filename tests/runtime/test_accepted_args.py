"""Runtime arguments checked against the runtime itself: every flag and variable the chart gives
TGI's launcher, for every example and every `chartgen init` spec, is one the launcher declares
(catalog/accepted/tgi.yaml, transcribed from launcher/src/main.rs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from chartgen import catalog
from chartgen.spec.starter import starter_spec
from tests.chart.helpers import EXAMPLES
from tests.runtime.charts import new_build, render, server_container

ACCEPTED = Path(catalog.__file__).parent / "accepted" / "tgi.yaml"
# Set by the chart for every runtime, read by libraries, not by the launcher's argument parser.
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


def accepted() -> tuple[set[str], set[str]]:
    data = yaml.safe_load(ACCEPTED.read_text())
    fields = data["long_and_env"]
    flags = {"--" + f.replace("_", "-") for f in fields + data["long_only"]}
    return flags, {f.upper() for f in fields}


def rejected(objs: list[dict[str, Any]]) -> list[str]:
    flags, env = accepted()
    container = server_container(objs)
    bad = [a.split("=", 1)[0] for a in container.get("args", []) if a.startswith("--")]
    bad = [a for a in bad if a not in flags]
    names = {e["name"] for e in container.get("env", [])}
    return bad + sorted(names - env - LIBRARY_ENV)


def test_the_launcher_declares_what_chartgen_maps() -> None:
    flags, env = accepted()
    for key, mapping in catalog.runtime("tgi").args.items():
        assert (mapping.env or "") in env | {""}, key
        assert (mapping.flag or "--json-output") in flags, key


def test_every_tgi_chart_passes_only_accepted_arguments(helm3: Path, tmp_path: Path) -> None:
    specs = [p for p in EXAMPLES.glob("*.yaml") if "runtime: tgi" in p.read_text()]
    for platform in catalog.platform_names():
        init = tmp_path / f"init-{platform}.yaml"
        init.write_text(starter_spec(f"tgi-{platform}", "tgi", platform, 1))
        specs.append(init)
    assert len(specs) > len(catalog.platform_names())
    for number, spec in enumerate(specs):
        objs = render(helm3, new_build(spec, tmp_path / str(number)))
        assert rejected(objs) == [], spec


def test_an_unknown_launcher_variable_is_caught(helm3: Path, tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    text = (EXAMPLES / "tgi-mistral-aks.yaml").read_text()
    spec.write_text(text + "  env:\n    - {name: MAX_TOTAL_TOKEN, value: '4096'}\n")
    assert rejected(render(helm3, new_build(spec, tmp_path))) == ["MAX_TOTAL_TOKEN"]
