"""`ttx report`: the after-action report of a recorded session, as Markdown or HTML."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tui.commands.errors import fail, fail_with_issues
from tui.commands.session_options import AllowChanged


class ReportFormat(StrEnum):
    md = "md"
    html = "html"


def report(
    session: Annotated[
        Path, typer.Argument(help="Session journal written by `ttx play`.", show_default=False)
    ],
    *,
    report_format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Markdown or self-contained HTML.")
    ] = ReportFormat.html,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="File to write; default: beside the session, .md or .html."
        ),
    ] = None,
    scenario: Annotated[
        Path | None,
        typer.Option(help="Scenario file, when it has moved since the session was recorded."),
    ] = None,
    allow_changed: AllowChanged = False,
) -> None:
    """Write the after-action report of SESSION and print the file's path.

    Rebuilt by replaying the journal; Markdown writes its chart as a PNG beside the file.
    """
    from simulator.report import build_report, write_report
    from simulator.scenario.errors import ScenarioError
    from simulator.session import JournalError, ScenarioChanged

    target = output or session.with_suffix(f".{report_format.value}")
    try:
        built = build_report(session, scenario_path=scenario, allow_changed=allow_changed)
    except JournalError as error:
        fail(str(error))
    except ScenarioChanged as error:
        fail(f"{error}; pass --allow-changed to replay the session on the new version")
    except ScenarioError as error:
        fail_with_issues(error.issues)
    try:
        written = write_report(built, target, report_format.value)
    except OSError as error:
        fail(f"{target}: cannot write the report: {error.strerror}")
    sys.stdout.write(f"{written}\n")
