"""Pilot tests for decisions on the closing drill: the room's choice can end the exercise, and
several decisions can wait at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from console_helpers import CLOSING, dashboard, drill_app, sync, wait_for
from textual.pilot import Pilot

from tui.app import TTXApp
from tui.screens.decision import DecisionScreen
from tui.screens.hotwash import HotwashScreen

pytestmark = pytest.mark.timeout(60)


async def run_to_dialog(pilot: Pilot[None], app: TTXApp) -> DecisionScreen:
    await pilot.press("r")
    await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen))
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, DecisionScreen)
    return screen


@sync
async def test_a_choice_that_ends_the_exercise_opens_the_hot_wash(sessions: Path) -> None:
    app = drill_app(sessions, CLOSING)
    async with app.run_test() as pilot:
        await run_to_dialog(pilot, app)
        await pilot.press("2")
        dialog = await run_to_dialog(pilot, app)
        assert dialog.request.decision.id == "close"
        await pilot.press("2")
        await wait_for(pilot, lambda: isinstance(app.screen, HotwashScreen))
        assert dashboard(app).session.sim.end_reason == "The room stood down."
        summary = str(app.screen.query_one("#hotwash-summary").render())
        assert "Ended at D+0 03:00: The room stood down." in summary
