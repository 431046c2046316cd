"""A lint unit: one input (a chart values variant, a manifest file, stdin) and what it produced."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from chartgen.errors import Location
from chartgen.findings import Finding, InputSummary, ObjectRef, Severity
from chartgen.lint.catalog import SCHEMA_RULES
from chartgen.lint.locate import Locator
from chartgen.manifests import ManifestObject
from chartgen.rules.support.memo import RuleMemo
from chartgen.validate.issues import Issue

if TYPE_CHECKING:  # the plan module loads only for spec inputs
    from chartgen.model.plan import ServingPlan


@dataclass(frozen=True)
class LintObject:
    obj: ManifestObject
    locator: Locator


@dataclass
class LintUnit:
    summary: InputSummary
    source: Path | None  # what the user named (chart, manifest, spec); None for stdin
    objects: list[LintObject] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # render and parse problems
    rule_findings: list[Finding] = field(default_factory=list)  # from chartgen.rules
    group: str = ""  # the chart: findings of its values variants are merged
    plan: ServingPlan | None = None  # the generator's plan when the input is a spec
    platform: str | None = None  # the platform the chart says it targets (chartgen.dev/platform)
    node_pool: str | None = None  # and its node-pool variant (chartgen.dev/node-pool)
    rule_memo: RuleMemo | None = None  # shared by a chart's variants (LintOptions.shared)


def finding_for(issue: Issue, item: LintObject, rendered_line: int = 0) -> Finding:
    location, rendered = item.locator.locate(issue.pointer, rendered_line)
    return Finding(
        rule_id=issue.rule_id,
        severity=issue.severity or default_severity(issue.rule_id),
        message=issue.message,
        location=location,
        obj=item.obj.ref,
        json_path=issue.pointer,
        remediation=issue.remediation or _remediation(issue.rule_id),
        rendered=rendered,
    )


def problem_finding(
    rule_id: str, message: str, location: Location, rendered: Location | None = None
) -> Finding:
    """A finding about an input rather than an object (render failure, broken YAML)."""
    return Finding(
        rule_id=rule_id,
        severity=default_severity(rule_id),
        message=message,
        location=location,
        obj=ObjectRef(),
        remediation=_remediation(rule_id),
        rendered=rendered,
    )


def default_severity(rule_id: str) -> Severity:
    rule = SCHEMA_RULES.get(rule_id)
    return rule.severity if rule else Severity.ERROR


def _remediation(rule_id: str) -> str:
    rule = SCHEMA_RULES.get(rule_id)
    return rule.remediation if rule else ""
