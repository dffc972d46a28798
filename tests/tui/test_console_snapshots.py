"""Snapshot tests: every screen at 80x24 and at 120x40, on the drill scenario with seed 7.

Regenerate with `pytest tests/tui --snapshot-update` and look at the SVGs before committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from console_helpers import BROKEN, drill_app, wait_for
from textual.pilot import Pilot

from tui.screens.decision import DecisionScreen
from tui.screens.hotwash import HotwashScreen

pytestmark = [
    pytest.mark.timeout(60),
    pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"]),
]

Compare = Callable[..., bool]
Drive = Callable[[Pilot[None]], Awaitable[None]]


async def to_decision(pilot: Pilot[None]) -> None:
    await pilot.press("r")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, DecisionScreen))
    await pilot.pause()


async def mid_exercise(pilot: Pilot[None]) -> None:
    await to_decision(pilot)
    await pilot.press("1", "s", "s", "s")
    await pilot.pause()


async def to_end(pilot: Pilot[None]) -> None:
    await to_decision(pilot)
    await pilot.press("1")
    board = pilot.app.dashboard  # type: ignore[attr-defined]
    board.session.note("split room on timing", objective="coordination")
    await pilot.press("r")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, HotwashScreen))
    pilot.app.clear_notifications()
    await pilot.pause()


async def decision_with_effects(pilot: Pilot[None]) -> None:
    await to_decision(pilot)
    await pilot.press("E")
    await pilot.pause()


async def note(pilot: Pilot[None]) -> None:
    await pilot.press("s", "s", "n")
    await pilot.pause()
    await pilot.press(*"joint statement")


async def keys(pilot: Pilot[None]) -> None:
    await pilot.press("question_mark")
    await pilot.pause()


async def save_as(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+s")
    await pilot.pause()


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_picker_shows_a_broken_scenario_errors(
    snap_compare: Compare, sessions: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(drill_app(sessions, BROKEN), terminal_size=size, run_before=settle)


def test_picker_lists_scenarios(
    snap_compare: Compare, sessions: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(drill_app(sessions, None), terminal_size=size, run_before=settle)


@pytest.mark.parametrize(
    "drive",
    [settle, mid_exercise, decision_with_effects, note, keys, save_as, to_end],
    ids=lambda drive: drive.__name__,
)
def test_screen(snap_compare: Compare, sessions: Path, size: tuple[int, int], drive: Drive) -> None:
    assert snap_compare(drill_app(sessions), terminal_size=size, run_before=drive)
