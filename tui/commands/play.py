"""`ttx play`: the facilitator console, a Textual app over a crash-safe session journal."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from tui.commands.console_options import NewSessionSeed, ScenarioToStart
from tui.commands.errors import EXIT_INVALID, fail
from tui.commands.session_options import AllowChanged


def play(
    scenario: ScenarioToStart = None,
    *,
    seed: NewSessionSeed = None,
    resume: Annotated[
        Path | None, typer.Option(help="Session journal to resume where it was left.")
    ] = None,
    allow_changed: AllowChanged = False,
    journal: Annotated[
        Path | None,
        typer.Option(help="Journal file for a new session; default: the sessions directory."),
    ] = None,
) -> None:
    """Run a live exercise in the facilitator console.

    Every decision and note is on disk the moment it is made (in $TTX_SESSIONS_DIR, or the
    default sessions directory): quit at any time and come back with --resume.
    """
    if resume is not None and journal is not None:
        fail("--journal names a new session's file; it cannot be combined with --resume")
    if resume is not None and seed is not None:
        fail("--seed applies to a new session; a resumed session keeps its own seed")
    if journal is not None and journal.exists():
        fail(f"{journal}: already exists; choose another file or resume it with --resume")

    from tui.app import Launch, OpenError, make_app

    launch = Launch(
        scenario=scenario,
        seed=seed,
        resume=resume,
        journal=journal,
        allow_changed=allow_changed,
    )
    console = make_app(launch)
    try:
        console.resume_launch()
    except OpenError as error:
        sys.stderr.write("".join(f"{line}\n" for line in error.lines))
        raise typer.Exit(EXIT_INVALID) from None
    try:
        console.run()
    finally:
        console.close_session()
    if console.session is not None:
        sys.stdout.write(resume_hint(console.session.path))


def resume_hint(journal: Path) -> str:
    """What `ttx play` prints on leaving: where the session is, and how to come back to it."""
    command = f"ttx play --resume {shlex.quote(str(journal))}"
    return f"Session saved in {journal}\nResume it with: {command}\n"
