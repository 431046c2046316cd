"""The bad GPU chart through the full `chartgen lint` and every output format."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.rules.doc_blocks import REPO
from tests.rules.test_bad_gpu_chart import CHART, EXPECTED

CHART_PATH = CHART.relative_to(REPO).as_posix()
TEMPLATE = f"{CHART_PATH}/templates/deployment.yaml"


def _lint(helm: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "chartgen",
        "lint",
        CHART_PATH,
        "--engine",
        "cli",
        "--helm",
        str(helm),
    ]
    return subprocess.run([*command, *args], cwd=REPO, capture_output=True, text=True, check=False)


def test_json_reports_each_planted_mistake_at_its_template_line(helm3: Path) -> None:
    done = _lint(helm3, "--format", "json")
    assert done.returncode == 1, done.stderr
    results = json.loads(done.stdout)["results"]
    found = {(r["ruleId"], r["location"]["file"], r["location"]["line"]) for r in results}
    for rule_id, (line, _) in EXPECTED.items():
        assert (rule_id, TEMPLATE, line) in found, rule_id


def test_every_format_in_one_run(helm3: Path, tmp_path: Path) -> None:
    outputs = {name: tmp_path / f"report.{name}" for name in ("sarif", "junit", "github", "json")}
    pairs = [
        arg for name, path in outputs.items() for arg in ("--format", name, "--output", str(path))
    ]
    done = _lint(helm3, *pairs)
    assert done.returncode == 1, done.stderr
    sarif = json.loads(outputs["sarif"].read_text())
    located = {
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in sarif["runs"][0]["results"]
    }
    assert (
        "gpu-parallelism-mismatch",
        TEMPLATE,
        EXPECTED["gpu-parallelism-mismatch"][0],
    ) in located
    failures = ET.parse(outputs["junit"]).getroot().findall(".//failure")
    assert {f.get("type") for f in failures} >= set(EXPECTED) - {
        "gpu-toleration-missing",
        "gpu-rolling-update-needs-spare",
    }
    annotations = outputs["github"].read_text().splitlines()
    line = EXPECTED["ml-secret-in-env"][0]
    assert f"::error file={TEMPLATE},line={line},title=ml-secret-in-env::" in "\n".join(annotations)
