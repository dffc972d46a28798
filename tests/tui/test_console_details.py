"""Pilot tests for small things a facilitator notices: empty filters, empty notes, the picker."""

from __future__ import annotations

from pathlib import Path

import pytest
from console_helpers import dashboard, drill_app, sync
from textual.widgets import Input, OptionList, Select

from tui.screens.note import NoteScreen
from tui.widgets.inject_feed import InjectFeed

pytestmark = pytest.mark.timeout(60)


@sync
async def test_a_filter_that_matches_nothing_says_so(sessions: Path) -> None:
    app = drill_app(sessions)
    async with app.run_test() as pilot:
        await pilot.press("s", "a")
        feed = dashboard(app).query_one(InjectFeed)
        assert feed.filters[1] == "all players" and feed.shown()
        await pilot.press("a")
        assert feed.filters[1] == "military committee" and not feed.shown()
        (line,) = feed.query_one("#feed-list", OptionList).options
        assert line.disabled and str(line.prompt).strip() == "no inject matches this filter"


@sync
async def test_the_note_dialog_moves_on_from_the_objective_and_asks_for_text(
    sessions: Path,
) -> None:
    app = drill_app(sessions)
    async with app.run_test() as pilot:
        await pilot.press("s", "n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NoteScreen)
        await pilot.press("enter")
        assert app.screen is dialog
        assert any("Type the observation first" in n.message for n in app._notifications)
        objective = dialog.query_one("#note-objective", Select)
        objective.focus()
        objective.value = "coordination"
        await pilot.pause()
        assert app.focused is dialog.query_one("#note-text", Input)
        await pilot.press(*"seen", "enter")
        (note,) = dashboard(app).session.notes
        assert (note.text, note.objective) == ("seen", "coordination")
