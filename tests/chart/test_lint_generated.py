"""chartgen's own output passes chartgen's own linter: zero findings of any severity."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from chartgen import catalog
from tests.chart.helpers import EXAMPLES, GENERATED


def lint_json(*paths: str) -> tuple[int, dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-m", "chartgen", "lint", "--fail-on", "info", "--format", "json", *paths],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, json.loads(done.stdout)


@pytest.mark.parametrize("inputs", [[str(GENERATED)], [str(EXAMPLES)]], ids=["charts", "specs"])
def test_examples_have_zero_findings(inputs: list[str]) -> None:
    code, report = lint_json(*inputs)
    assert report["results"] == [] and code == 0, report["results"]
    assert report["summary"]["resources"] > 200  # type: ignore[index]


@pytest.mark.parametrize("platform", catalog.platform_names())
@pytest.mark.parametrize("runtime", catalog.runtime_names())
def test_init_then_lint_is_clean(runtime: str, platform: str, tmp_path: Path) -> None:
    spec = tmp_path / "svc.yaml"
    gpus = "0" if runtime in ("torchserve", "tfserving", "custom") else "1"
    init = subprocess.run(
        [
            sys.executable,
            "-m",
            "chartgen",
            "init",
            "svc",
            "--runtime",
            runtime,
            "--platform",
            platform,
            "--gpus",
            gpus,
            "-o",
            str(spec),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert init.returncode == 0, init.stderr
    code, report = lint_json(str(spec))
    assert code == 0 and report["results"] == [], report["results"]
