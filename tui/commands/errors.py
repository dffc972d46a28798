"""How commands report user errors: one line each on stderr and a non-zero exit, no traceback."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, NoReturn

import typer

if TYPE_CHECKING:
    from simulator.scenario.errors import ScenarioIssue

EXIT_INVALID = 1


def fail_with_issues(issues: Iterable[ScenarioIssue]) -> NoReturn:
    """Print each issue as `path:line:col: severity: message` and exit 1."""
    for issue in sorted(issues):
        sys.stderr.write(f"{issue}\n")
    raise typer.Exit(EXIT_INVALID)


def fail(message: str, code: int = EXIT_INVALID) -> NoReturn:
    """Print `ttx: error: message` and exit with `code`."""
    sys.stderr.write(f"ttx: error: {message}\n")
    raise typer.Exit(code)
