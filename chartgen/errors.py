"""Error types. A UserError is the user's to fix (exit 2); anything else is a bug (exit 3)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chartgen.findings import Finding


@dataclass(frozen=True)
class Location:
    """A place in a file a user can open: 1-based line and column, 0 when unknown."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line and self.column:
            return f"{self.file}:{self.line}:{self.column}"
        if self.line:
            return f"{self.file}:{self.line}"
        return self.file


class ChartgenError(Exception):
    """Base class for every error chartgen raises on purpose."""


class UserError(ChartgenError):
    """Bad input or usage: reported as one line, exit code 2."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class SpecErrors(UserError):
    """Every problem found in one or more spec files, reported together."""

    def __init__(self, problems: Sequence[Finding]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = list(problems)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class ToolError(ChartgenError):
    """An external tool (helm, kubeconform) is missing or failed: exit code 3."""
