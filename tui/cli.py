"""The `ttx` command.

Sub-commands live in `tui.commands.*`, one module each, and import their heavy dependencies
(Pydantic, NumPy, Textual, pandas, Dask) inside the function body, so `ttx --help` loads Typer
and little else (`benchmarks/startup.py` measures it).
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from typing import Annotated, cast

import typer

from tui.commands.batch import batch
from tui.commands.new import new
from tui.commands.play import play
from tui.commands.report import report
from tui.commands.run import run
from tui.commands.schema import schema
from tui.commands.serve import serve
from tui.commands.validate import validate

app = typer.Typer(
    name="ttx",
    help="Tabletop-exercise simulator for CBRN crisis decision-making.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Click's plain help: Typer's Rich help loads Rich, Markdown and tracebacks, doubling the
    # start-up of `ttx --help` (about 260 ms instead of 130 ms here).
    rich_markup_mode=None,
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


def _summary(command: Callable[..., None]) -> str:
    """The first paragraph of a command's docstring, for the command list of `ttx --help`:
    given as `short_help` it wraps, where Click would cut it to one line with "..."."""
    first = inspect.cleandoc(command.__doc__ or "").split("\n\n", 1)[0]
    return " ".join(first.split())


_COMMANDS: tuple[tuple[str, Callable[..., None]], ...] = (
    ("run", run),
    ("validate", validate),
    ("schema", schema),
    ("new", new),
    ("batch", batch),
    ("report", report),
    ("play", play),
    ("serve", serve),
)
for _name, _command in _COMMANDS:
    app.command(_name, short_help=_summary(_command))(_command)
