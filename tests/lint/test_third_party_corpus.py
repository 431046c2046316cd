"""`chartgen lint` on real third-party ML-serving charts (tests/corpus/<chart>/, vendored with their
licence and source commit): every finding it draws is one judged by hand in
tests/corpus/expected/<chart>.yaml, with the same rule, severity, object, JSON pointer and line."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
sys.path.insert(0, str(CORPUS))
import findings  # noqa: E402  (tests/corpus/findings.py: the runner and the expected data)

sys.path.remove(str(CORPUS))
CHARTS = findings.charts()
COMPARED = ("rule", "level", "object", "pointer", "at")
_DRAWN: dict[str, list[dict[str, Any]]] = {}


def drawn(chart: str) -> list[dict[str, Any]]:
    if chart not in _DRAWN:
        _DRAWN[chart] = findings.lint(chart)
    return _DRAWN[chart]


def compared(entries: list[dict[str, Any]]) -> Counter[tuple[str, ...]]:
    return Counter(tuple(str(e[k]) for k in COMPARED) for e in entries)


def test_the_corpus_has_at_least_six_charts() -> None:
    assert len(CHARTS) >= 6, CHARTS


@pytest.mark.parametrize("chart", CHARTS)
def test_every_chart_records_its_source_and_licence(chart: str) -> None:
    fields = dict(
        line.split(": ", 1)
        for line in (CORPUS / chart / "SOURCE").read_text(encoding="utf-8").splitlines()
        if ": " in line and not line.startswith(" ")
    )
    assert fields["repo"].startswith("https://github.com/")
    assert len(fields["commit"]) == 40
    assert fields["license"] in ("Apache-2.0", "MIT")
    assert (CORPUS / chart / "LICENSE").is_file()


@pytest.mark.parametrize("chart", CHARTS)
def test_findings_are_exactly_the_judged_ones(chart: str) -> None:
    expected = compared(findings.expected(chart))
    found = compared(drawn(chart))
    assert sorted((found - expected).elements()) == [], "drawn but not judged"
    assert sorted((expected - found).elements()) == [], "judged but no longer drawn"


@pytest.mark.parametrize("chart", CHARTS)
def test_every_expected_finding_is_judged_by_hand(chart: str) -> None:
    for entry in findings.expected(chart):
        assert entry["verdict"] in findings.VERDICTS, entry
        assert str(entry["why"]).strip(), entry
        assert (entry["verdict"] == "false-positive") == bool(entry.get("owner")), entry


@pytest.mark.parametrize("chart", CHARTS)
def test_no_false_positive_of_crd_reach_dra_or_crd_services_is_left(chart: str) -> None:
    """Issue 14 part A (pods in CRDs, their schemas, Services backed by CRD pods, DRA GPUs) owns
    none of the remaining false positives; the others are owned, and listed, in the data."""
    left = [e for e in findings.expected(chart) if e.get("owner") == "lint-reach"]
    assert left == []
