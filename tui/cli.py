"""The `ttx` command.

Sub-commands live in `tui.commands.*`, one module each, and import their heavy dependencies
(Textual, pandas, Dask) inside the function body, so `ttx validate` starts fast.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

app = typer.Typer(
    name="ttx",
    help="Tabletop-exercise simulator for CBRN crisis decision-making.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

EXIT_INTERNAL = 3


def _print_version(value: bool) -> None:
    if value:
        from simulator import __version__

        typer.echo(f"ttx {__version__}")
        raise typer.Exit


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Tabletop-exercise simulator for CBRN crisis decision-making.

    Facilitators: ttx play. Trainers: ttx validate, ttx new, ttx schema. Analysts: ttx run,
    ttx batch.
    """


def main() -> None:
    """Console-script entry point: any unexpected exception becomes one line and exit code 3."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("ttx: interrupted\n")
        sys.exit(130)
    except Exception as error:  # the last line of defence: one line, never a traceback
        sys.stderr.write(f"ttx: internal error: {type(error).__name__}: {error}\n")
        sys.exit(EXIT_INTERNAL)


from tui.commands.run import run  # noqa: E402 - commands register after the app exists

app.command("run")(run)

from tui.commands.validate import validate  # noqa: E402

app.command("validate")(validate)

from tui.commands.schema import schema  # noqa: E402

app.command("schema")(schema)

from tui.commands.new import new  # noqa: E402

app.command("new")(new)

from tui.commands.batch import batch  # noqa: E402 - commands register after the app exists

app.command("batch")(batch)

from tui.commands.report import report  # noqa: E402 - commands register after the app exists

app.command("report")(report)

from tui.commands.play import play  # noqa: E402 - commands register after the app exists

app.command("play")(play)

from tui.commands.serve import serve  # noqa: E402

app.command("serve")(serve)
