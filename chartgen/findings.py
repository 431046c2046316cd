"""What validators and rules report: one Finding per problem, with the place to fix it."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from chartgen.errors import Location


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
