"""The real helm-docs (built by tools/install-tools.sh) reproduces every chart's README exactly."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from chartgen.api import build
from chartgen.chart.helm_docs import default_override, values_table
from chartgen.chart.readme import TEMPLATE_NAME, VALUES_SECTION
from tests.chart.helpers import GENERATED


def _helm_docs(helm_docs: Path, root: Path) -> None:
    done = subprocess.run(
        [str(helm_docs), "--chart-search-root", str(root), "--log-level", "warning"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and "level=warn" not in done.stderr, done.stderr


def _charts() -> list[Path]:
    return sorted(p.parent for p in GENERATED.glob("*/Chart.yaml"))


def test_helm_docs_rewrites_no_generated_readme(helm_docs: Path, tmp_path: Path) -> None:
    copies = tmp_path / "charts"
    shutil.copytree(GENERATED, copies)
    _helm_docs(helm_docs, copies)
    changed = [
        chart.name
        for chart in _charts()
        if (copies / chart.name / "README.md").read_bytes() != (chart / "README.md").read_bytes()
    ]
    assert len(_charts()) >= 12
    assert not changed, f"helm-docs rewrites the README of {changed}"


def test_every_chart_ships_its_helm_docs_template() -> None:
    for chart in _charts():
        template = (chart / TEMPLATE_NAME).read_text(encoding="utf-8")
        assert template.endswith(VALUES_SECTION + "\n"), chart.name
        assert TEMPLATE_NAME in (chart / ".helmignore").read_text(encoding="utf-8")


# Scalars where YAML 1.1 (PyYAML, Helm) and yaml.v3 (helm-docs) or Python and Go disagree.
EDGE_VALUES = """\
# -- plain scalars as yaml.v3 resolves them
scalars:
  octal12: 0o17
  octal11: 017
  notOctal: 09
  hex: 0x1F
  binary: -0b101
  underscored: 1_000
  exponent: 1e3
  dotted: .5
  negativeDotted: -.5
  plus: +5
  huge: 1e400
  beyondInt64: 9223372036854775808
  belowInt64: -9223372036854775809
  date: 2024-01-02
  yes: yes
  tilde: ~
  capitalTrue: True
  quoted: '0o17'
  html: <a & b>
  separator: "line\\u2028break"
  accent: café
# -- floats as Go's encoding/json writes them
floats: [16.0, 1e-7, 1.5e21, 123456789012345678.0, -0.0, 0.1, 2.5e-6]
# -- (string) an explicit type and nil default
unset:
# -- a pipe in a default
# @default -- `{"cmd":"a \\| b"}`
piped:
  cmd: a | b
notDescribed:
  inner:
    leaf: 1
    emptyList: []
    dotted.key: x
  list: [a, {b: c}]
emptyNotDescribed: []
# -- a block scalar whose text looks like helm-docs comments
config: |
  # notDescribed.inner.leaf -- described from inside a block scalar
  # continued here
  plain line
# -- top-level number
replicas: 3
"""
DESCRIBED = {
    "scalars": "plain scalars as yaml.v3 resolves them",
    "floats": "floats as Go's encoding/json writes them",
    "unset": "(string) an explicit type and nil default",
    "config": "a block scalar whose text looks like helm-docs comments",
    "replicas": "top-level number",
}


def test_helm_docs_reads_values_as_chartgen_predicts(helm_docs: Path, tmp_path: Path) -> None:
    chart = tmp_path / "edge"
    chart.mkdir()
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: edge\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text(EDGE_VALUES, encoding="utf-8")
    (chart / TEMPLATE_NAME).write_text(VALUES_SECTION + "\n")
    descriptions = {key: (text, "") for key, text in DESCRIBED.items()}
    descriptions["piped"] = ("a pipe in a default", default_override({"cmd": "a | b"}))
    expected = values_table(EDGE_VALUES, descriptions) + "\n"
    _helm_docs(helm_docs, tmp_path)
    assert (chart / "README.md").read_text(encoding="utf-8") == expected


def test_a_pipe_in_a_default_gets_an_escaped_override() -> None:
    assert default_override({"cmd": "a | b"}) == r'`{"cmd":"a \| b"}`'
    assert default_override(["`x`"]) == '`` ["`x`"] ``'
    assert default_override({"plain": 1}) == ""


@pytest.mark.parametrize("chart", _charts(), ids=lambda p: p.name)
def test_values_descriptions_are_helm_docs_safe(chart: Path) -> None:
    """` --` would make helm-docs read a key name, `(` a type, `|` would split the table."""
    for line in (chart / "values.yaml").read_text(encoding="utf-8").splitlines():
        if line.startswith("# -- "):
            text = line[5:]
            assert " --" not in text and not text.startswith("(") and "|" not in text, line


def test_template_braces_in_spec_text_stay_literal(helm_docs: Path, tmp_path: Path) -> None:
    spec = (GENERATED.parent / "examples" / "vllm-llama-8b.yaml").read_text(encoding="utf-8")
    spec = spec.replace(
        "  team: ml-platform\n",
        '  team: ml-platform\n  description: "serves {{ .Values.x }} and }} {{- end }}  "\n',
    )
    (tmp_path / "spec.yaml").write_text(spec, encoding="utf-8")
    build([tmp_path / "spec.yaml"], tmp_path / "out")
    readme = tmp_path / "out" / "llama-8b" / "README.md"
    written = readme.read_bytes()
    assert b"serves {{ .Values.x }} and }} {{- end }}" in written
    _helm_docs(helm_docs, tmp_path / "out")
    assert readme.read_bytes() == written
