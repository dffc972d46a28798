"""`ttx report`: the after-action report of a recorded session, as Markdown or HTML."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tui.commands.errors import fail, fail_with_issues


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
    allow_changed: Annotated[
        bool,
        typer.Option(
            "--allow-changed", help="Replay the session on a scenario that has changed since."
        ),
    ] = False,
) -> None:
    """Write the after-action report of SESSION and print the file's path.

    Rebuilt by replaying the journal; Markdown writes its chart as a PNG beside the file.
    """
    from simulator.report.aar import build_report
    from simulator.report.html import to_html
    from simulator.report.markdown import to_markdown
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
        target.parent.mkdir(parents=True, exist_ok=True)
        if report_format is ReportFormat.md:
            chart = f"{target.stem}-readiness.png"
            markdown = to_markdown(built, target.parent, chart_file=chart)
            target.write_text(markdown, encoding="utf-8")
        else:
            target.write_text(to_html(built), encoding="utf-8")
    except OSError as error:
        fail(f"{target}: cannot write the report: {error.strerror}")
    sys.stdout.write(f"{target}\n")
