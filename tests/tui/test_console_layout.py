"""Pilot tests of what a facilitator sees at 80x24 on the largest shipped scenario."""

from __future__ import annotations

from pathlib import Path

import pytest
from console_helpers import dashboard, drill_app, sync, wait_for
from textual.widgets import Footer

from tui.widgets.alert_ladder import AlertLadder
from tui.widgets.header import StatusLine
from tui.widgets.readiness import ReadinessBars
from tui.widgets.variables import VariablesPanel

pytestmark = pytest.mark.timeout(60)

EASTERN = Path(__file__).resolve().parents[2] / "scenarios" / "eastern-flank.yaml"


@sync
async def test_every_unit_the_seed_and_the_main_keys_are_in_view_at_80x24(
    sessions: Path,
) -> None:
    app = drill_app(sessions, EASTERN)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        board = dashboard(app)
        bars = board.query_one(ReadinessBars)
        column = board.query_one("#state-column")
        units = len(board.scenario.units)
        assert units == 14 and bars.content_region.height == units
        assert bars.region.bottom <= column.region.bottom
        assert board.query_one(AlertLadder).compact
        status = str(board.query_one(StatusLine).render())
        assert status.index("seed 7") + len("seed 7") <= 80
        variables = str(board.query_one("#variables-narrow", VariablesPanel).render())
        assert "Deterrence credib… " in variables
        unit_rows = str(bars.render())
        assert "MN CBRN def bn" in unit_rows and "Slovak medical…" in unit_rows
        footer = app.screen.query_one(Footer)
        shown = [key.key for key in footer.query("FooterKey")]  # type: ignore[attr-defined]
        assert {"space", "r", "n", "u", "question_mark", "q"} <= set(shown)


@sync
async def test_the_status_line_shows_both_clocks_at_the_same_minute(sessions: Path) -> None:
    app = drill_app(sessions)
    async with app.run_test(size=(80, 24)) as pilot:
        board = dashboard(app)
        board.cursor = 0.36  # 21.6 minutes: both clocks still read 21 (they used to disagree)
        await wait_for(pilot, lambda: "D+0 00:21" in str(board.query_one(StatusLine).render()))
        assert "D+0 00:21 2031-04-07 08:21Z" in str(board.query_one(StatusLine).render())
