"""`ttx schema`: the JSON Schema of the scenario format, for editors and other tools."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from tui.commands.errors import fail


def schema(
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="Write the schema to this file instead of stdout.",
        ),
    ] = None,
) -> None:
    """Print the scenario format's JSON Schema (deterministic: sorted keys, final newline).

    The copy shipped in the package is regenerated with
    `ttx schema -o simulator/scenario/scenario.schema.json`.
    """
    from simulator.scenario.json_schema import render_json_schema

    text = render_json_schema()
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror or error}")
    typer.echo(f"wrote {output}")
