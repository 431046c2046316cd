"""The reporter registry and the text/json formats."""

from __future__ import annotations

import json

from chartgen.errors import Location
from chartgen.findings import Finding, InputSummary, LintResult, ObjectRef, Severity
from chartgen.report import REPORTERS, ReportContext
from tests.lint.conftest import fresh_interpreter


def _result() -> LintResult:
    finding = Finding(
        "schema-invalid",
        Severity.ERROR,
        "expected integer",
        Location("chart/templates/d.yaml", 7),
        ObjectRef("Deployment", "web", "ml", "apps/v1"),
        "/spec/replicas",
        "fix it",
        Location("chart/templates/d.yaml", 9),
    )
    warning = Finding("api-deprecated", Severity.WARNING, "old", Location("m.yaml", 1))
    suppressed = Finding("x", Severity.ERROR, "quiet", Location("m.yaml", 2), suppressed_by="cfg")
    inputs = [
        InputSummary("chart", "chart", objects=3),
        InputSummary("m.yaml", "manifest", objects=1),
    ]
    return LintResult([finding, warning, suppressed], inputs)


def test_registry_has_text_and_json() -> None:
    assert {"text", "json"} <= set(REPORTERS)


def test_text() -> None:
    text = REPORTERS["text"](_result(), ReportContext())
    assert text.splitlines() == [
        "chart/templates/d.yaml:7: error: expected integer [schema-invalid] Deployment/web /spec/replicas",
        "m.yaml:1: warning: old [api-deprecated]",
        "chartgen lint: 1 error, 1 warning, 0 info, 1 suppressed in 2 inputs (4 objects)",
    ]


def test_text_verbose_and_color() -> None:
    text = REPORTERS["text"](_result(), ReportContext(color=True, verbosity=2))
    assert "\x1b[31merror\x1b[0m" in text
    assert "  rendered: chart/templates/d.yaml:9" in text and "  fix: fix it" in text
    assert "linted chart chart: 3 objects" in text


def test_quiet_text_is_empty_when_clean() -> None:
    assert REPORTERS["text"](LintResult(), ReportContext(verbosity=0)) == ""


def test_json() -> None:
    document = json.loads(REPORTERS["json"](_result(), ReportContext(fail_on=Severity.WARNING)))
    assert document["summary"] == {
        "errors": 1,
        "warnings": 1,
        "info": 0,
        "suppressed": 1,
        "inputs": 2,
        "resources": 4,
        "failOn": "warning",
        "failed": True,
        "durationMs": 0,
    }
    first = document["results"][0]
    assert first["resource"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "namespace": "ml",
        "name": "web",
    }
    assert first["location"] == {"file": "chart/templates/d.yaml", "line": 7, "column": 0}
    assert first["rendered"]["line"] == 9 and document["results"][2]["suppressed"] == {"by": "cfg"}


def test_a_format_module_loads_when_it_is_used() -> None:
    """`--format json` does not import the XML (JUnit) or hashing (SARIF) machinery."""
    probe = (
        "import sys\n"
        "from chartgen.report import REPORTERS\n"
        "loaded = lambda: sorted(m for m in sys.modules if m.startswith('chartgen.report.'))\n"
        "print(loaded())\n"
        "REPORTERS['junit']\n"
        "print(loaded(), sorted(REPORTERS), 'xml.etree.ElementTree' in sys.modules)\n"
    )
    out = fresh_interpreter(probe)
    assert out[0] == "['chartgen.report.context']"
    assert out[1] == (
        "['chartgen.report.context', 'chartgen.report.junit'] "
        "['github', 'json', 'junit', 'sarif', 'text'] True"
    )
