"""The loader's own error type: every problem in a scenario file, each with its position."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, order=True)
class ScenarioIssue:
    """One problem found in a scenario file, at a 1-based line and column (0 when unknown)."""

    path: str
    line: int
    column: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"

    def as_dict(self) -> dict[str, str | int]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
        }


class ScenarioError(Exception):
    """A scenario file could not be loaded; `issues` holds every error found, sorted."""

    def __init__(self, issues: list[ScenarioIssue]) -> None:
        self.issues = sorted(issues)
        super().__init__("\n".join(str(i) for i in self.issues))
