"""Shared helpers for the console tests: the drill scenario, a frozen clock, waiting on the UI."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, ParamSpec

from textual.pilot import Pilot

from tui.app import Launch, TTXApp, make_app
from tui.screens.dashboard import DashboardScreen

DATA = Path(__file__).parent / "data"
SHIPPED = Path("scenarios")
"""Where the `sessions` fixture copies the test scenarios, relative to the tmp working directory
(relative paths keep screenshots the same on every machine)."""
DRILL = SHIPPED / "console-drill.yaml"
BROKEN = SHIPPED / "broken-drill.yaml"
CLOSING = SHIPPED / "more" / "closing-drill.yaml"
"""Two decisions that can wait at once; one option ends the exercise (not listed by the picker)."""
FROZEN = dt.datetime(2031, 4, 7, 9, 30, tzinfo=dt.UTC)
SEED = 7

P = ParamSpec("P")


def sync(test: Callable[P, Coroutine[Any, Any, None]]) -> Callable[P, None]:
    """Run an async Pilot test with asyncio (the suite has no async pytest plugin)."""

    @functools.wraps(test)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def frozen() -> dt.datetime:
    return FROZEN


def drill_app(
    sessions: Path,
    scenario: Path | None = DRILL,
    *,
    journal: Path | None = Path("drill.ttxsession"),
    resume: Path | None = None,
    allow_changed: bool = False,
    shipped: Path = SHIPPED,
) -> TTXApp:
    """The console on the drill scenario, seed 7, frozen clock, no animations."""
    launch = Launch(
        scenario=scenario,
        seed=SEED if resume is None else None,
        resume=resume,
        journal=journal if resume is None and scenario is not None else None,
        allow_changed=allow_changed,
    )
    app = make_app(launch, clock=frozen, directory=sessions, shipped=shipped)
    app.animation_level = "none"
    return app


async def wait_for(pilot: Pilot[None], done: Callable[[], bool], seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if done():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not reached in time")


def dashboard(app: TTXApp) -> DashboardScreen:
    board = app.dashboard
    assert board is not None
    return board
