"""Issue 16 part B spec checks: API keys, engine settings, LoRA adapters and InferencePool routing
against the chosen runtime's catalog facts; each case is one error at one path, exit 2 at build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.spec.conftest import VALID_SPEC, run_cli
from tests.spec.test_semantics import Edit, problems_after


def tgi(spec: dict[str, Any]) -> None:
    spec["runtime"] = "tgi"


CASES: dict[str, tuple[Edit, str, str]] = {  # edit, path, message fragment
    "api-key-unsupported": (
        lambda s: (tgi(s), s.update(auth={"apiKey": {"secretName": "k"}})),
        "$.spec.auth.apiKey",
        "runtime tgi takes no API key",
    ),
}


def sglang(spec: dict[str, Any]) -> None:
    spec["runtime"] = "sglang"


def lora(spec: dict[str, Any], **item: Any) -> None:
    spec["model"]["cache"]["download"] = "job"
    spec["model"]["loras"] = [{"name": "sql", "source": "hf://org/sql-lora", **item}]


CASES.update(
    {
        "engine-setting-unsupported": (
            lambda s: (tgi(s), s["engine"].update(prefixCaching=True)),
            "$.spec.engine.prefixCaching",
            "runtime tgi has no prefixCaching setting",
        ),
        "kv-cache-dtype-refused": (
            lambda s: (sglang(s), s["engine"].update(kvCacheDtype="fp8")),
            "$.spec.engine.kvCacheDtype",
            "runtime sglang accepts kvCacheDtype auto, bfloat16, fp8_e4m3, fp8_e5m2",
        ),
        "lora-runtime": (
            lambda s: (tgi(s), lora(s)),
            "$.spec.model.loras",
            "runtime tgi loads no LoRA adapters",
        ),
        "lora-without-job": (
            lambda s: (lora(s), s["model"]["cache"].pop("download")),
            "$.spec.model.loras",
            "set model.cache.download: job",
        ),
        "lora-name-taken": (
            lambda s: lora(s, name="llama"),
            "$.spec.model.loras[0].name",
            "model name 'llama' is already served",
        ),
        "inference-pool-runtime": (
            lambda s: (
                tgi(s),
                s.update(exposure={"type": "inferencepool", "gateway": {"name": "g"}}),
            ),
            "$.spec.exposure.type",
            "does not support runtime tgi",
        ),
        "inference-pool-gateway": (
            lambda s: s.update(exposure={"type": "inferencepool"}),
            "$.spec.exposure",
            "exposure type inferencepool needs exposure.gateway",
        ),
        "lora-rank-too-large": (
            lambda s: lora(s, rank=1024),
            "$.spec.model.loras[0].rank",
            "serves LoRA ranks up to 512",
        ),
    }
)


@pytest.mark.parametrize("name", sorted(CASES))
def test_one_error_at_its_path(tmp_path: Path, name: str) -> None:
    edit, path, fragment = CASES[name]
    found = problems_after(tmp_path, edit)
    assert [(p.severity.label, p.json_path) for p in found] == [("error", path)], found
    assert fragment in found[0].message and found[0].location.line > 0


def test_build_exits_2_with_file_and_line(tmp_path: Path) -> None:
    data = yaml.safe_load(VALID_SPEC)
    data["spec"]["runtime"] = "tgi"
    data["spec"]["auth"] = {"apiKey": {"secretName": "key"}}
    spec = tmp_path / "svc.yaml"
    spec.write_text(yaml.safe_dump(data, sort_keys=False))
    code, _, err = run_cli("build", str(spec), "-o", str(tmp_path / "out"))
    assert code == 2 and not (tmp_path / "out").exists()
    line = next(i for i, t in enumerate(spec.read_text().splitlines(), 1) if "apiKey:" in t)
    assert f"{spec}:{line}:" in err and "takes no API key" in err and "Traceback" not in err
