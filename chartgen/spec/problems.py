"""A problem found in a spec: where it is (file, line, column, JSON path) and how bad it is."""

from __future__ import annotations

from chartgen.errors import Location, UserError
from chartgen.findings import Severity

__all__ = ["Severity", "SpecProblem"]


class SpecProblem(UserError):
    """One problem, printed as `file:line:col: message (at $.json.path)`; file-level problems
    (unreadable file, YAML syntax) have an empty json_path and no `(at ...)`.

    A UserError so that errors can be raised together in a SpecErrors; warnings use the same type
    and are returned, not raised.
    """

    def __init__(
        self,
        message: str,
        location: Location,
        json_path: str = "$",
        severity: Severity = Severity.ERROR,
    ) -> None:
        super().__init__(message, location)
        self.location: Location = location
        self.json_path = json_path
        self.severity = severity

    def __str__(self) -> str:
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        where = f" (at {self.json_path})" if self.json_path else ""
        return f"{self.location}: {prefix}{self.message}{where}"

    def __repr__(self) -> str:
        return f"SpecProblem({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SpecProblem) and self.sort_key == other.sort_key

    def __hash__(self) -> int:
        return hash(self.sort_key)

    @property
    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        where = self.location
        return (
            where.file,
            where.line,
            where.column,
            self.json_path,
            self.message,
            self.severity.label,
        )
