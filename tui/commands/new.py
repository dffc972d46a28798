"""`ttx new`: start a scenario from a commented skeleton that validates as written."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tui.commands.errors import fail


def new(
    name: Annotated[
        str,
        typer.Argument(
            help="Scenario id and file name without .yaml (lower-case, digits, '_' or '-').",
            metavar="NAME",
            show_default=False,
        ),
    ],
    directory: Annotated[
        Path, typer.Option("--dir", metavar="DIR", help="Directory to write NAME.yaml in.")
    ] = Path(),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write NAME.yaml: a commented scenario skeleton to edit, with editor completion enabled."""
    from simulator.scenario.skeleton import skeleton_text

    try:
        text = skeleton_text(name, directory)
    except ValueError as error:
        fail(str(error))
    target = directory / f"{name}.yaml"
    if target.exists() and not force:
        fail(f"{target} already exists; use --force to overwrite it")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as error:
        fail(f"cannot write {target}: {error.strerror or error}")
    typer.echo(f"wrote {target}; check it with: ttx validate {target}")
