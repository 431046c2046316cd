"""Line attribution measured over a corpus: every finding of every rule lands on the line of its
field. Inputs: the rule fixtures (manifests), the generated charts, the charts as they were at
2471155, the rule test charts and the third-party corpus (tests/corpus).

- No finding lands on line 1 unless the object is there (line 1 spells `apiVersion:`/`kind:`).
- JSON path -> line is exact: the reported line holds the key (or list item) the finding's path
  ends in; or it holds an ancestor's key (or a template action) and the template spells the next
  step of the path nowhere in that ancestor's block (the field comes from an include/toYaml).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "rules" / "fixtures"
CHARTS = [
    "generated-charts",
    "tests/rules/frozen-2471155",
    "tests/rules/bad-gpu-chart",
    "tests/rules/capability-chart",
    *sorted(str(p.parent.relative_to(REPO)) for p in (REPO / "tests/corpus").glob("*/Chart.yaml")),
]
_ROOT_LINE = re.compile(r"^(apiVersion|kind)\s*:")
_ITEM = re.compile(r"^(\s*)-(\s|$)")


@cache
def corpus_findings() -> tuple[dict[str, Any], ...]:
    manifests = sorted(str(p.relative_to(REPO)) for p in FIXTURES.glob("*/*.yaml"))
    manifests = [m for m in manifests if not m.endswith("context.yaml")]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "chartgen",
            "lint",
            "--fail-on",
            "info",
            "--format",
            "json",
            *CHARTS,
            *manifests,
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    results: list[dict[str, Any]] = json.loads(done.stdout)["results"]
    assert len(results) > 300  # the corpus is not empty
    return tuple(r for r in results if r["location"]["line"] > 0 and r["resource"].get("kind"))


def _lines(file: str) -> list[str]:
    return (REPO / file).read_text(encoding="utf-8").splitlines()


def _key(token: str) -> re.Pattern[str]:
    return re.compile(r"^\s*(?:-\s+)*[\"']?" + re.escape(token) + r"[\"']?\s*:(\s|$)")


def _holds(line: str, token: str) -> bool:
    """The line is a list item (index token) or spells the key, in block or flow style."""
    if token.isdigit():
        return bool(_ITEM.match(line))
    flow = re.search(r"[{,]\s*[\"']?" + re.escape(token) + r"[\"']?\s*:", line)
    return bool(_key(token).match(line) or flow)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _block(lines: list[str], at: int) -> list[str]:
    """The lines below `at` deeper than it (its YAML block; template actions do not end it)."""
    block = []
    for line in lines[at + 1 :]:
        text = line.strip()
        yaml_line = text and not text.startswith(("#", "{{"))
        if yaml_line and _indent(line) <= _indent(lines[at]) and not line.startswith("---"):
            break
        if line.startswith("---"):
            break
        block.append(line)
    return block


def exact(result: dict[str, Any]) -> bool:
    lines = _lines(result["location"]["file"])
    at = result["location"]["line"] - 1
    line = lines[at]
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in result["jsonPointer"].split("/")[1:]]
    if not tokens:
        return bool(_ROOT_LINE.match(line.strip())) or "{{" in line
    if _holds(line, tokens[-1]):
        return True
    held = [i for i, t in enumerate(tokens) if _holds(line, t)]
    if not held and "{{" not in line:
        return False
    following = tokens[held[-1] + 1] if held else tokens[-1]
    return not any(_holds(text, following) for text in _block(lines, at))


def test_no_finding_lands_on_line_1_unless_its_object_is_there() -> None:
    wrong = [
        (r["ruleId"], r["location"]["file"], r["jsonPointer"])
        for r in corpus_findings()
        if r["location"]["line"] == 1
        and not _ROOT_LINE.match(_lines(r["location"]["file"])[0].strip())
    ]
    assert wrong == []


def test_json_path_to_line_is_exact_for_every_rule() -> None:
    wrong = [
        (r["ruleId"], f"{r['location']['file']}:{r['location']['line']}", r["jsonPointer"])
        for r in corpus_findings()
        if not exact(r)
    ]
    assert wrong == []


@pytest.mark.parametrize(
    "template",
    [
        "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  ports: []\n",
        "{{- if .Values.off }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: off\n"
        "{{- end }}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n"
        "  ports: []\n",
    ],
    ids=["leading-separator", "first-document-rendered-nothing"],
)
def test_the_first_rendered_document_maps_to_the_template_document_that_made_it(
    template: str,
) -> None:
    """Both patterns put every finding of the first document on line 1, or 5 lines off."""
    from chartgen.lint.locate import TemplateText

    text = TemplateText(template)
    document = text.document_of(0, "Service", 0)
    assert template.splitlines()[text.line_for("/spec/ports", document) - 1] == "  ports: []"
