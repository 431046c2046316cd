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
