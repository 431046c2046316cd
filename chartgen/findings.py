"""What validators and rules report: one Finding per problem, with the place to fix it."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from chartgen.errors import Location

if TYPE_CHECKING:
    from chartgen.manifests import ManifestObject


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.upper()]
        except KeyError:
            allowed = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r} (allowed: {allowed})") from None


@dataclass(frozen=True, order=True)
class ObjectRef:
    """The Kubernetes object a finding is about."""

    kind: str = ""
    name: str = ""
    namespace: str = ""
    api_version: str = ""

    def __str__(self) -> str:
        return f"{self.kind}/{self.name}" if self.kind else ""


@dataclass(frozen=True)
class Issue:
    """One problem at a JSON pointer of one object, as validators and rules find it; the lint
    engine places it at the line a user edits and reports it as a Finding."""

    rule_id: str
    pointer: str
    message: str
    severity: Severity | None = None  # None: the rule's default (after the config)
    remediation: str = ""
    obj: ManifestObject | None = None  # the object, when the finder looked at several


@dataclass(frozen=True)
class Finding:
    """One problem: rule id, severity, where to fix it, which object, which field, what is wrong."""

    rule_id: str
    severity: Severity
    message: str
    location: Location
    obj: ObjectRef = field(default_factory=ObjectRef)
    json_path: str = ""
    remediation: str = ""
    rendered: Location | None = None
    suppressed_by: str = ""

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.rule_id, self.message)

    def __str__(self) -> str:
        """One line, as bad input is reported: `file:line:col: [warning: ]message (at path)`."""
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        where = f" (at {self.json_path})" if self.json_path else ""
        return f"{self.location}: {prefix}{self.message}{where}"


SPEC_ERROR = "spec-error"  # a spec that cannot be built (raised together in SpecErrors)
SPEC_WARNING = "spec-warning"  # a spec that builds, with a cross-field warning


def spec_problem(
    message: str, location: Location, json_path: str = "$", severity: Severity = Severity.ERROR
) -> Finding:
    """A problem found in a spec file: file-level ones (unreadable, YAML syntax) have an empty
    json_path."""
    rule = SPEC_ERROR if severity is Severity.ERROR else SPEC_WARNING
    return Finding(rule, severity, message, location, json_path=json_path)


@dataclass(frozen=True)
class RuleInfo:
    """What reporters need to describe a rule (SARIF rule descriptors, `chartgen explain`)."""

    id: str
    severity: Severity
    summary: str
    description: str = ""
    remediation: str = ""
    references: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class InputSummary:
    """One linted input: a chart (per values variant), a manifest file, a spec, or stdin."""

    name: str
    kind: str  # chart | manifest | spec | stdin
    variant: str = ""  # e.g. "ci/gpu-values.yaml" for chart variants
    objects: int = 0


@dataclass
class LintResult:
    """Everything one `chartgen lint` run found; the input of every reporter."""

    findings: list[Finding] = field(default_factory=list)
    inputs: list[InputSummary] = field(default_factory=list)
    rules: dict[str, RuleInfo] = field(default_factory=dict)
    duration_seconds: float = 0.0

    def counts(self) -> dict[Severity, int]:
        active = [f for f in self.findings if not f.suppressed_by]
        return {sev: sum(1 for f in active if f.severity == sev) for sev in Severity}

    def failed(self, fail_on: Severity) -> bool:
        return any(f.severity >= fail_on and not f.suppressed_by for f in self.findings)
