"""The `ttx` command.

Sub-commands live in `tui.commands.*`, one module each, and import their heavy dependencies
(Textual, pandas, Dask) inside the function body, so `ttx validate` starts fast.
"""

from __future__ import annotations

import sys
from typing import Annotated, cast

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

# Typer ships its own copy of Click and exports only some of its exceptions; every usage
# mistake (unknown option, missing argument, bad value) derives from BadParameter's base.
# Typed as BadParameter: the base has the same `ctx` and `format_message()`.
_UsageError = cast("type[typer.BadParameter]", typer.BadParameter.__mro__[1])


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
    """Console-script entry point.

    Usage mistakes are one line (`ttx: error: …`, exit 2) and any unexpected exception one line
    and exit code 3: never a traceback, never a box.
    """
    command = typer.main.get_command(app)
    try:
        code = command.main(prog_name="ttx", standalone_mode=False)
    except _UsageError as error:
        where = f" (see 'ttx {error.ctx.info_name} --help')" if error.ctx else ""
        if error.ctx is not None and error.ctx.parent is None:
            where = " (see 'ttx --help')"
        sys.stderr.write(f"ttx: error: {error.format_message()}{where}\n")
        sys.exit(2)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        sys.stderr.write("ttx: interrupted\n")
        sys.exit(130)
    except Exception as error:  # the last line of defence: one line, never a traceback
        sys.stderr.write(f"ttx: internal error: {type(error).__name__}: {error}\n")
        sys.exit(EXIT_INTERNAL)
    sys.exit(code if isinstance(code, int) else 0)


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
