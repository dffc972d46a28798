"""Pilot tests for the hot wash at 80x24: what matters is in view and notes show at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from console_helpers import drill_app, sync, wait_for
from rich.text import Text
from textual.widgets import DataTable

from tui.screens.decision import DecisionScreen
from tui.screens.hotwash import HotwashScreen

pytestmark = pytest.mark.timeout(60)


LONG_NOTE = "firm but slow: the host nation hears it first"


def in_view(table: DataTable[Text], count: int) -> list[str]:
    """The labels of the first `count` columns, checked to fit the table's width."""
    columns = table.ordered_columns[:count]
    assert sum(c.get_render_width(table) for c in columns) <= table.size.width
    return [str(c.label) for c in columns]


def row(table: DataTable[Text], index: int) -> list[str]:
    return [cell.plain for cell in table.get_row_at(index)]


@sync
async def test_a_note_written_over_the_hot_wash_shows_in_it_text_first(sessions: Path) -> None:
    app = drill_app(sessions)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen))
        await pilot.press("tab", *LONG_NOTE, "enter", "1", "w")
        screen = app.screen
        assert isinstance(screen, HotwashScreen)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"room split on timing", "enter")
        await pilot.pause()
        assert app.screen is screen
        notes = screen.query_one("#hotwash-notes", DataTable)
        assert in_view(notes, 2) == ["Observation", "Time"]
        assert row(notes, 0)[:2] == ["room split on timing", "D+1 00:00"]
        decisions = screen.query_one("#hotwash-decisions", DataTable)
        assert in_view(decisions, 4) == ["Decision", "Choice", "Note", "By"]
        assert row(decisions, 0)[:4] == [
            "Reinforce the border?",
            "Deploy forward",
            LONG_NOTE,
            "the room",
        ]
        assert decisions.ordered_rows[0].height > 1  # long text wraps rather than push on
