"""`ttx validate`: check scenario files and report every problem with its position."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Annotated

import typer

from tui.commands.errors import EXIT_INVALID


def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Scenario files to check.", metavar="PATH", show_default=False),
    ],
    strict: Annotated[
        bool, typer.Option("--strict", help="Treat warnings as errors (exit 1 on any).")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON document instead of lines.")
    ] = False,
) -> None:
    """Check scenario files: `PATH: ok` for each valid one, else one line per problem.

    Problems are printed as `path:line:col: error: message`, sorted; warnings (injects that can
    never fire, objectives nothing exercises, trigger cycles, ...) as `... warning: ...`. The
    exit code is 1 when any file has an error.
    """
    from simulator.scenario.loader import check_scenario

    results = []
    failed = False
    for path in paths:
        check = check_scenario(path)
        issues = check.issues
        if strict:
            issues = [dataclasses.replace(issue, severity="error") for issue in issues]
        ok = check.ok and not any(issue.severity == "error" for issue in issues)
        failed = failed or not ok
        results.append({"path": str(path), "ok": ok, "issues": [i.as_dict() for i in issues]})
        if not as_json:
            for issue in issues:
                typer.echo(str(issue))
            if ok:
                typer.echo(f"{path}: ok")
    if as_json:
        typer.echo(json.dumps(results, indent=2))
    if failed:
        raise typer.Exit(EXIT_INVALID)
