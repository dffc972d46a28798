"""`ttx serve`: the facilitator console in a web browser, through textual-serve.

Each browser tab that connects starts its own `ttx play` process on this machine, with its own
crash-safe journal; the page is a terminal in the browser, so everything works as in a terminal.
"""

from __future__ import annotations

import shlex
import sys
from typing import Annotated

import typer

from tui.commands.console_options import NewSessionSeed, ScenarioToStart
from tui.commands.errors import fail


def serve(
    scenario: ScenarioToStart = None,
    *,
    seed: NewSessionSeed = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Serve the facilitator console to a web browser (needs the 'web' extra).

    Open the printed address; each tab runs its own session. Listen on 127.0.0.1 (the default)
    unless the machine's network is one you trust: the console has no login.
    """
    try:
        from textual_serve.server import Server
    except ImportError:
        fail("ttx serve needs textual-serve: pip install 'cbrn-ttx[web]'")
    command = [sys.executable, "-c", "from tui.cli import main; main()", "play"]
    if scenario is not None:
        command.append(str(scenario.resolve()))
    if seed is not None:
        command += ["--seed", str(seed)]
    Server(shlex.join(command), host=host, port=port, title="cbrn-ttx").serve()
