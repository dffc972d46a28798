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
        await pilot.press("escape", "u")
        assert isinstance(app.screen, DecisionScreen) and not dashboard(app).session.sim.finished
        await pilot.press("2")
        await wait_for(pilot, lambda: isinstance(app.screen, HotwashScreen))


@sync
async def test_the_dialog_says_when_it_opened_and_how_many_wait(sessions: Path) -> None:
    app = drill_app(sessions, CLOSING)
    async with app.run_test() as pilot:
        first = await run_to_dialog(pilot, app)
        assert first.query_one("#decision-dialog").border_title == "Decision · opened D+0 02:00"
        await pilot.press("escape")
        oldest = await run_to_dialog(pilot, app)
        assert dashboard(app).session.sim.now == 3.0
        assert oldest.request.decision.id == "briefing"
        assert (
            oldest.query_one("#decision-dialog").border_title
            == "Decision · opened D+0 02:00 · 1 of 2 waiting"
        )
        await pilot.press("1")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen))
        last = app.screen
        assert isinstance(last, DecisionScreen) and last.request.decision.id == "close"
        assert last.query_one("#decision-dialog").border_title == "Decision · opened D+0 03:00"


@sync
async def test_a_resumed_session_shows_the_decision_it_was_waiting_on(sessions: Path) -> None:
    first = drill_app(sessions, CLOSING)
    async with first.run_test() as pilot:
        await run_to_dialog(pilot, first)
        await pilot.press("escape", "q")
    first.close_session()
    again = drill_app(sessions, None, resume=Path("drill.ttxsession"))
    async with again.run_test() as pilot:
        await pilot.pause()
        dialog = again.screen
        assert isinstance(dialog, DecisionScreen) and dialog.request.decision.id == "briefing"
        await pilot.press("2", "r")
        await wait_for(pilot, lambda: isinstance(again.screen, DecisionScreen))
        await pilot.press("2")
        await wait_for(pilot, lambda: isinstance(again.screen, HotwashScreen))
    again.close_session()
    ended = drill_app(sessions, None, resume=Path("drill.ttxsession"))
    async with ended.run_test() as pilot:
        await pilot.pause()
        assert isinstance(ended.screen, HotwashScreen)
