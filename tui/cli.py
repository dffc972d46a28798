"""The `ttx` command.

Sub-commands live in `tui.commands.*`, one module each, and import their heavy dependencies
(Textual, pandas, Dask) inside the function body, so `ttx validate` starts fast.
"""

from __future__ import annotations

import sys

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


def main() -> None:
    """Console-script entry point: any unexpected exception becomes one line and exit code 3."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("ttx: interrupted\n")
        sys.exit(130)
    except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
        sys.stderr.write(f"ttx: internal error: {type(error).__name__}: {error}\n")
        sys.exit(EXIT_INTERNAL)
