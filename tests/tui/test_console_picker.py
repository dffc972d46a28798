"""Pilot tests for the picker: errors stay in the app, scenarios start, sessions resume."""

from __future__ import annotations

from pathlib import Path

import pytest
from console_helpers import BROKEN, DRILL, dashboard, drill_app, sync, wait_for
from textual.widgets import OptionList, Static

from tui.app import TTXApp
from tui.screens.dashboard import DashboardScreen
from tui.screens.picker import PickerScreen

pytestmark = pytest.mark.timeout(60)


def details(app: TTXApp) -> str:
    return str(app.screen.query_one("#picker-about", Static).render())


async def highlight(app: TTXApp, label: str) -> None:
    entries = app.screen.query_one("#picker-list", OptionList)
    for index, option in enumerate(entries.options):
        if str(option.prompt).strip() == label:
            entries.highlighted = index
            return
    raise AssertionError(f"{label} is not listed")


@sync
async def test_a_broken_scenario_shows_its_error_lines_and_a_good_one_opens(
    sessions: Path,
) -> None:
    app = drill_app(sessions, None)
    async with app.run_test() as pilot:
        assert isinstance(app.screen, PickerScreen)
        await highlight(app, "broken-drill")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Cannot open this entry" in details(app))
        assert f"{BROKEN}:7:13: error: clock.duration: invalid duration '2x'" in details(app)
        assert isinstance(app.screen, PickerScreen)
        await highlight(app, "console-drill")
        await wait_for(pilot, lambda: "Console drill: Northern Watch" in details(app))
        await pilot.press("enter")
        assert isinstance(app.screen, DashboardScreen)


@sync
async def test_a_recent_session_resumes_where_it_was_left(sessions: Path) -> None:
    first = drill_app(sessions, journal=sessions / "played.ttxsession")
    async with first.run_test() as pilot:
        await pilot.press("s", "s", "s", "n")
        await pilot.pause()
        await pilot.press(*"seen", "enter", "q")
        position = dashboard(first).session.sim.position  # type: ignore[attr-defined]
    first.close_session()  # as `ttx play` does once the app has stopped
    app = drill_app(sessions, None)
    async with app.run_test() as pilot:
        keys = [key.key for key in app.screen.query("FooterKey")]  # type: ignore[attr-defined]
        assert "q" in keys and "n" not in keys  # nothing to observe before an exercise opens
        await highlight(app, "played")
        await pilot.pause()
        assert "0 decisions · 1 note" in details(app)
        await pilot.press("enter")
        assert isinstance(app.screen, DashboardScreen)
        assert dashboard(app).session.sim.position == position  # type: ignore[attr-defined]


@sync
async def test_a_changed_scenario_is_refused_with_both_hashes(sessions: Path) -> None:
    first = drill_app(sessions)
    async with first.run_test() as pilot:
        await pilot.press("s", "q")
    DRILL.write_text(DRILL.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    app = drill_app(sessions, None, resume=Path("drill.ttxsession"))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        highlighted = app.screen.query_one("#picker-list", OptionList).highlighted_option
        assert highlighted is not None and str(highlighted.prompt).strip() == "drill"
        shown = details(app)
        assert shown.startswith("drill\ndrill.ttxsession\nCannot open this entry\nttx: error:")
        assert "--allow-changed" in shown
    allowed = drill_app(sessions, None, resume=Path("drill.ttxsession"), allow_changed=True)
    async with allowed.run_test():
        assert isinstance(allowed.screen, DashboardScreen)
