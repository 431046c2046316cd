"""GitHub Actions workflow commands: exact lines, escaping, levels, suppressed left out."""

from __future__ import annotations

from chartgen.errors import Location
from chartgen.findings import Finding, LintResult, ObjectRef, Severity
from chartgen.report import github
from tests.report.results import lint_fixture


def test_one_annotation_per_finding_with_file_line_and_title() -> None:
    lines = github.render(lint_fixture("floating-image-tag")).splitlines()
    busybox = next(line for line in lines if "busybox" in line)
    assert busybox == (
        "::error file=tests/rules/fixtures/floating-image-tag/fail.yaml,line=9,title=floating-image-tag::"
        "container 'fetch' image 'busybox' has no tag (latest) (Deployment/llm)"
        "%0AFix: Pin a release tag (`vllm/vllm-openai:v0.25.0`) or, better, a digest (`@sha256:...`)."
    )
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)


def test_properties_and_data_are_escaped_and_levels_mapped() -> None:
    finding = Finding(
        rule_id="x,y:z",
        severity=Severity.INFO,
        message="100% done\nnext",
        location=Location("a,b:c.yaml", 3, 7),
        obj=ObjectRef("Pod", "p"),
    )
    suppressed = Finding(
        "r", Severity.ERROR, "hidden", Location("f.yaml", 1), suppressed_by="reason"
    )
    text = github.render(LintResult(findings=[finding, suppressed]))
    assert (
        text
        == "::notice file=a%2Cb%3Ac.yaml,line=3,col=7,title=x%2Cy%3Az::100%25 done%0Anext (Pod/p)\n"
    )
