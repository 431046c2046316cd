"""The fast path of `chartgen lint` (renders, documents and objects shared between a chart's
values variants, many charts in worker processes) gives byte-identical JSON reports to the
reference path (LintOptions(shared=False): every variant rendered, parsed and checked on its
own, in one process), on the repository's corpus, and the same error on bad input."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
import yaml

from chartgen.errors import UserError
from chartgen.lint.engine import lint_paths
from chartgen.lint.inputs import classify
from chartgen.lint.options import LintOptions
from chartgen.lint.processes import process_count
from chartgen.report import json_report
from chartgen.report.context import ReportContext

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "rules" / "fixtures"
CORPUS = [
    [REPO / "generated-charts"],  # every generated chart, in one run: worker processes
    [REPO / "tests" / "rules" / "frozen-2471155"],
    [REPO / "tests" / "lint" / "fixtures" / "charts"],
    [REPO / "tests" / "lint" / "fixtures" / "manifests"],
    sorted(FIXTURES.glob("*/*.yaml")),  # every rule's failing and passing manifests
    [REPO / "tests" / "rules" / "bad-gpu-chart", REPO / "tests" / "rules" / "capability-chart"],
]


def report(paths: list[Path], options: LintOptions) -> str:
    result = lint_paths([str(p) for p in paths], options)
    return json_report.render(dataclasses.replace(result, duration_seconds=0), ReportContext())


def assert_same_reports(paths: list[Path]) -> None:
    reference = report(paths, LintOptions(shared=False))
    assert '"results"' in reference
    assert report(paths, LintOptions(jobs=2)) == reference
    assert report(paths, LintOptions(jobs=1)) == reference


def test_many_charts_take_worker_processes() -> None:
    inputs = classify([str(REPO / "generated-charts")])
    assert process_count(inputs, LintOptions(jobs=2)) == 2
    assert process_count(inputs, LintOptions(jobs=2, shared=False)) == 1
    assert process_count(inputs[:1], LintOptions(jobs=2)) == 1


@pytest.mark.parametrize("paths", CORPUS, ids=lambda paths: paths[0].parent.name)
def test_fast_path_reports_are_byte_identical(paths: list[Path]) -> None:
    assert all(path.exists() for path in paths)
    assert_same_reports(paths)


def test_third_party_corpus_reports_are_byte_identical() -> None:
    charts = sorted(p.parent for p in (REPO / "tests" / "corpus").glob("*/Chart.yaml"))
    assert len(charts) >= 6  # kubeai, KubeRay, llm-d, ollama, vLLM production stack, ...
    assert_same_reports(charts)


def test_crd_heavy_chart_reports_are_byte_identical(tmp_path: Path) -> None:
    """50 CustomResourceDefinitions rendered by a chart, and a custom resource of one."""
    chart = tmp_path / "operator"
    shutil.copytree(REPO / "generated-charts" / "llama-8b", chart)
    source = REPO / "schemas" / "crds" / "keda.sh" / "keda.sh_scaledobjects.yaml"
    crd = yaml.safe_load(source.read_text(encoding="utf-8"))
    texts = []
    for index in range(50):
        group = f"g{index:02d}.example.com"
        renamed = {**crd, "spec": {**crd["spec"], "group": group}}
        renamed["metadata"] = {"name": f"{crd['spec']['names']['plural']}.{group}"}
        texts.append(yaml.safe_dump(renamed, sort_keys=False))
    texts.append("apiVersion: g07.example.com/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: x\n")
    (chart / "templates" / "zz-crds.yaml").write_text("---\n".join(texts), encoding="utf-8")
    assert_same_reports([chart])


def test_an_input_that_fails_in_a_worker_process_fails_alike(tmp_path: Path) -> None:
    shutil.copytree(REPO / "generated-charts" / "llama-8b", tmp_path / "a-good")
    (tmp_path / "b-broken.tgz").write_bytes(b"not a tar archive")
    shutil.copytree(REPO / "generated-charts" / "phi-mig", tmp_path / "c-good")
    paths = [str(tmp_path / name) for name in ("a-good", "b-broken.tgz", "c-good")]
    messages = []
    for options in (LintOptions(shared=False), LintOptions(jobs=2)):
        with pytest.raises(UserError) as raised:
            lint_paths(paths, options)
        messages.append(str(raised.value))
    assert messages[0] == messages[1]
    assert "b-broken.tgz: not a readable chart archive" in messages[0]
