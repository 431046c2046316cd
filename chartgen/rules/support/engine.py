"""Runs every enabled rule over one set of objects and turns violations into findings."""

from __future__ import annotations

from collections.abc import Sequence

from chartgen.errors import Location
from chartgen.findings import Finding, Issue, RuleInfo, Severity
from chartgen.manifests import ManifestObject
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.memo import RuleMemo
from chartgen.rules.support.objects import ObjectSet
from chartgen.rules.support.registry import RULES, UNSUPPRESSIBLE
from chartgen.rules.support.rule import Rule
from chartgen.rules.support.suppressions import suppression


def run_rules(
    objects: Sequence[ManifestObject], context: RuleContext, memo: RuleMemo | None = None
) -> list[Finding]:
    """Findings of every enabled rule over the whole set (one chart render or manifest set).
    With `memo` (shared by a chart's values variants), object-scoped rules check each distinct
    object once."""
    object_set = ObjectSet(objects)
    enabled = [
        (rule, severity)
        for rule in RULES
        if (severity := context.config.severity(rule.ID, rule.SEVERITY)) is not None
    ]
    remembered = [rule for rule, _ in enabled if memo is not None and rule.SCOPE == "object"]
    violations: list[tuple[Rule, Issue]] = [
        (rule, issue)
        for rule, _ in enabled
        if rule not in remembered
        for issue in rule.check(object_set, context)
    ]
    if memo is not None and remembered:
        violations += memo.issues(objects, context, remembered)
    severities = {rule.ID: severity for rule, severity in enabled}
    findings = [_finding(rule, severities[rule.ID], issue) for rule, issue in violations]
    kept = [f for f in findings if not context.config.excludes(f.location.file)]
    return sorted(set(kept), key=Finding.sort_key)


def _finding(rule: Rule, severity: Severity, issue: Issue) -> Finding:
    obj = issue.obj
    if obj is None:  # a rule sees many objects: it must say which one
        raise ValueError(f"rule {rule.ID} reported {issue.message!r} without its object")
    return Finding(
        rule_id=rule.ID,
        severity=severity,
        message=issue.message,
        location=Location(obj.file, obj.line_of(issue.pointer)),
        obj=obj.ref,
        json_path=issue.pointer,
        remediation=rule.FIX,
        suppressed_by="" if rule.ID in UNSUPPRESSIBLE else suppression(obj, rule.ID),
    )


def rule_info(rule: Rule) -> RuleInfo:
    return RuleInfo(
        id=rule.ID,
        severity=rule.SEVERITY,
        summary=rule.SUMMARY,
        description=rule.RATIONALE,
        remediation=rule.FIX,
        references=rule.REFERENCES,
        tags=rule.TAGS,
    )


def all_rules() -> list[RuleInfo]:
    """Every registered rule, in registry order, with its default severity."""
    return [rule_info(rule) for rule in RULES]
