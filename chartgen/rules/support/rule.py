"""The shape every rule module has; a rule yields chartgen.findings.Issue records."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Protocol

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet


class Rule(Protocol):
    """A rule is a module with these names (registered in chartgen/rules/support/registry.py).

    SCOPE "object": what the rule reports about an object depends on that object alone (and the
    context, except `default_values`); it iterates `objects.objects`, `of_kind`, `workloads` or
    `containers` and never looks another object up. Such a rule runs once per distinct object
    of a chart's values variants (chartgen.rules.support.memo). "set": anything else.
    """

    @property
    def ID(self) -> str: ...  # readable slug, stable: configs and suppressions name it
    @property
    def SEVERITY(self) -> Severity: ...  # default; `.chartgen.yaml` may override it
    @property
    def SUMMARY(self) -> str: ...  # one line
    @property
    def RATIONALE(self) -> str: ...  # why it matters, with evidence
    @property
    def REFERENCES(self) -> tuple[str, ...]: ...  # issues and docs: `owner/repo#123`, URLs
    @property
    def FIX(self) -> str: ...  # what to change
    @property
    def EXAMPLE(self) -> str: ...  # a passing YAML snippet
    @property
    def TAGS(self) -> tuple[str, ...]: ...
    @property
    def DEFAULTS(self) -> Mapping[str, Any]: ...  # option name -> default value ({} when none)
    @property
    def SCOPE(self) -> str: ...  # "object" or "set", see below

    def check(self, objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]: ...
