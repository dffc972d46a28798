"""Hostile text through every screen: scenario and journal words are data, never markup.

A scenario whose every name, label, title and text is markup-like, HTML-like or Markdown-like
(plus a note in the same vein) plays through the dashboard, the note and decision dialogs, the
command palette, the keys, save-as, the hot wash and the picker. Nothing may raise, and each
string must be held literally in what the widgets show: Textual markup would have eaten the
brackets (`[bold]x` shows as `x`) or turned `[@click=...]` into a live action.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from console_helpers import DATA, FROZEN, dashboard, wait_for
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual.command import CommandPalette
from textual.content import Content
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Input, OptionList, Static

from simulator.scenario.yaml_safe import read_yaml
from tui.app import Launch, TTXApp, make_app
from tui.screens.dashboard import DashboardScreen
from tui.screens.decision import DecisionScreen
from tui.screens.help import HelpScreen
from tui.screens.hotwash import HotwashScreen
from tui.screens.note import NoteScreen
from tui.screens.picker import PickerScreen
from tui.screens.save_as import SaveAsScreen
from tui.widgets.alert_ladder import AlertLadder
from tui.widgets.readiness import ReadinessBars
from tui.widgets.variables import VariablesPanel

pytestmark = pytest.mark.timeout(120)

PIECES = [
    "[/]",
    "[bold]",
    "[@click=app.quit]quit[/]",
    "[link=https://x]y[/link]",
    "<script>alert(1)</script>",
    "&lt;",
    "`code`",
    "**bold**",
    "[x](javascript:alert(1))",
    "\u202eevil",
    "\\[b]",
    "$var",
    "[",
]
"""Markup-, HTML- and Markdown-like fragments, an RTL override and a backslash escape. Control
characters (NUL, ESC) never reach a screen from a file: the scenario loader refuses them
(tests/scenario/test_loader_messages.py); typed ones are dropped by the dialogs (below)."""

hostile = st.builds(
    lambda piece, more: f"{piece}{more}".strip() or piece,
    st.sampled_from(PIECES),
    st.text(alphabet="[]/@=<>&;`*()\\:#$ab x", max_size=16),
)
"""A fragment plus a random bracket soup: short enough for any name (names are at most 200)."""

LONG = "[bold]" + "x" * 10_000 + "[/]"
"""A 10 kB line, still bracketed."""


def _scenario(text: str) -> dict[str, Any]:
    """The drill scenario with every word a person reads replaced by a tagged `text`."""
    doc = read_yaml(DATA / "console-drill.yaml").data
    meta = doc["meta"]
    meta["title"] = f"title {text}"
    meta["banner"] = f"banner {text}"
    meta["description"] = f"about {text}\n{LONG}"
    for objective in meta["objectives"]:
        objective["text"] = f"objective {objective['id']} {text}"
    actors = doc["actors"]
    for group in ("alliances", "nations", "partners"):
        for actor in actors[group]:
            actor["name"] = f"{actor['id']} {text}"
    actors["adversary"]["name"] = f"adversary {text}"
    for level in doc["alert"]["levels"]:
        level["label"] = f"{level['id']} {text}"
    for unit in doc["units"]:
        unit["name"] = f"{unit['id']} {text}"
    for variable in doc["variables"]:
        variable["label"] = f"{variable['id']} {text}"
    for inject in doc["injects"]:
        inject["title"] = f"inject {inject['id']} {text}"
        inject["text"] = f"says {text}\n{LONG}"
        inject["guidance"] = f"guide {text}"
        inject["source"] = f"source {text}"
        inject["audience"] = [f"audience {text}"]
    for decision in doc["decisions"]:
        decision["title"] = f"decision {decision['id']} {text}"
        decision["prompt"] = f"asks {text}\n{LONG}"
        for option in decision["options"]:
            option["label"] = f"option {option['id']} {text}"
            option["description"] = f"does {text}"
    return doc


def _plain(visual: object) -> str:
    match visual:
        case str():
            return visual
        case Text() | Content():
            return visual.plain
        case Group():
            return "\n".join(_plain(part) for part in visual.renderables)
        case Padding():
            return _plain(visual.renderable)
    return ""


def _widget_text(widget: Widget) -> Iterator[str]:
    yield _plain(widget.border_title)
    yield _plain(widget.border_subtitle)
    if isinstance(widget, Static | AlertLadder | ReadinessBars | VariablesPanel):
        yield _plain(widget.render())
    elif isinstance(widget, OptionList):
        yield from (_plain(option.prompt) for option in widget.options)
    elif isinstance(widget, DataTable):
        for row in range(widget.row_count):
            yield from (_plain(cell) for cell in widget.get_row_at(row))
    elif isinstance(widget, Input):
        yield widget.value


def shown(screen: Screen[Any]) -> str:
    """Everything the screen's widgets hold as text (before wrapping and cropping), toasts
    included."""
    return "\n".join(text for widget in screen.query("*") for text in _widget_text(widget))


def assert_shown(screen: Screen[Any], *texts: str) -> None:
    everything = shown(screen)
    for text in texts:
        where = type(screen).__name__
        assert text in everything, f"{text[:100]!r}… is not shown literally on {where}"


def typed(note: str) -> str:
    """A note as the journal keeps it: the dialogs drop control characters (a pasted escape
    sequence would reach the terminal whenever the note is shown)."""
    return "".join(c for c in note if unicodedata.category(c) != "Cc").strip()


async def _until(pilot: Pilot[None], kind: type[Screen[Any]]) -> Screen[Any]:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, kind))
    await pilot.pause()
    return pilot.app.screen


async def play(app: TTXApp, text: str, note: str) -> None:
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        board = await _until(pilot, DashboardScreen)
        await pilot.press("s", "s")
        await pilot.pause()
        assert_shown(
            board,
            f"banner {text}",
            f"title {text}",
            f"inject startex {text}",
            f"says {text}\n{LONG}",
            f"guide {text}",
        )
        assert isinstance(board, DashboardScreen) and board.current_inject is not None
        current = board.current_inject.inject.title

        await pilot.press("n")
        dialog = await _until(pilot, NoteScreen)
        assert_shown(dialog, current, f"objective coordination {text}")
        dialog.query_one("#note-text", Input).value = note
        await pilot.press("enter")
        await _until(pilot, DashboardScreen)

        await pilot.press("r")
        decision = await _until(pilot, DecisionScreen)
        await pilot.press("E")
        await pilot.pause()
        assert_shown(
            decision,
            f"decision reinforce {text}",
            f"asks {text}\n{LONG}",
            f"option deploy {text}",
            f"does {text}",
            f"tension {text} +0.05",
            f"readiness of bg_amber {text} toward 95%",
        )
        await pilot.press("ctrl+p")
        palette = await _until(pilot, CommandPalette)
        offered = f"Choose 1: option deploy {text}\ndoes {text}"
        await wait_for(pilot, lambda: offered in shown(palette), seconds=5)
        await pilot.press("escape")
        await _until(pilot, DecisionScreen)
        decision.query_one("#decision-note", Input).value = note
        await pilot.press("1")
        board = await _until(pilot, DashboardScreen)
        recorded = f"Recorded at D+1 00:00: option deploy {text}"
        await wait_for(pilot, lambda: recorded in shown(board), seconds=3)  # the notification

        await pilot.press("question_mark")
        await _until(pilot, HelpScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+s")
        save_as = await _until(pilot, SaveAsScreen)
        assert_shown(save_as, app.launch.journal.name if app.launch.journal else "")
        await pilot.press("escape")
        await _until(pilot, DashboardScreen)

        await pilot.press("w")
        hotwash = await _until(pilot, HotwashScreen)
        session = dashboard(app).session
        assert [n.text for n in session.notes] == [typed(note)]
        assert session.decisions[0].note == typed(note)
        assert_shown(
            hotwash,
            f"title {text}",
            f"decision reinforce {text}",
            f"option deploy {text}",
            typed(note),
            current,
            f"alliance {text} elevated {text}",
        )


async def pick(app: TTXApp, text: str) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        picker = await _until(pilot, PickerScreen)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert_shown(
            picker,
            "[bold]drill[@click=app.quit]",
            f"title {text}",
            f"about {text}",
            f"objective public_info {text}",
        )
        await pilot.press("down", "down", "down")  # the recent session, titled by the scenario
        await pilot.pause()
        assert_shown(picker, f"title {text}")


def run_console(text: str, note: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shipped = root / "scenarios"
        shipped.mkdir()
        # Paths are untrusted words too: the picker, save-as and the hot wash show them.
        scenario = shipped / "[bold]drill[@click=app.quit].yaml"
        # YAML reads JSON; the `\u202e` escape carries the RTL mark through.
        scenario.write_text(json.dumps(_scenario(text)), "utf-8")
        sessions = root / "sessions"
        journal = sessions / "[link=https://x]j[@click=app.quit].ttxsession"
        launch = Launch(scenario=scenario, seed=7, journal=journal)
        app = make_app(launch, clock=lambda: FROZEN, directory=sessions, shipped=shipped)
        app.animation_level = "none"
        asyncio.run(play(app, text, note))
        app.close_session()
        picker = make_app(Launch(), clock=lambda: FROZEN, directory=sessions, shipped=shipped)
        picker.animation_level = "none"
        asyncio.run(pick(picker, text))


@settings(
    max_examples=2,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(text=hostile, note=hostile.filter(typed))
@example(text="[/] [@click=app.quit]quit[/] [link=https://x]y[/link]", note="[/] note")
@example(
    text="<script>&lt;`x`**b**[x](javascript:alert(1))\u202e",
    note="[@click=app.quit] \x1b]0;pwned\x07\x1b[31mred",
)
def test_hostile_text_is_shown_literally_on_every_screen(text: str, note: str) -> None:
    run_console(text, note)


BRACKETS = "[/] [@click=app.quit]x[/] [link=https://x]y[/link]"


def _closing(text: str) -> dict[str, Any]:
    """The closing drill, where the room can end the exercise, in bracketed words."""
    doc = read_yaml(DATA / "more" / "closing-drill.yaml").data
    doc["meta"]["title"] = f"title {text}"
    for decision in doc["decisions"]:
        decision["title"] = f"decision {decision['id']} {text}"
        decision["prompt"] = f"asks {text}"
        for option in decision["options"]:
            option["label"] = f"option {option['id']} {text}"
    doc["decisions"][1]["options"][1]["effects"][0]["reason"] = f"reason {text}"
    return doc


async def _close(app: TTXApp, note: str) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(pilot, DashboardScreen)
        await pilot.press("r")
        await _until(pilot, DecisionScreen)
        await pilot.press("2", "r")
        closing = await _until(pilot, DecisionScreen)
        closing.query_one("#decision-note", Input).value = note
        await pilot.press("2")
        await _until(pilot, HotwashScreen)


async def _reopen(app: TTXApp, text: str) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        hotwash = await _until(pilot, HotwashScreen)
        assert_shown(
            hotwash,
            f"reason {text}",
            f"decision close {text}",
            f"option stand_down {text}",
            f"note {text}",
        )


def test_a_finished_session_in_bracketed_words_reopens_in_the_hot_wash(tmp_path: Path) -> None:
    """The issue's crash: a finished session opens the hot wash on resume, so text the hot wash
    read as markup kept that session from ever reopening."""
    scenario = tmp_path / "closing.yaml"
    scenario.write_text(json.dumps(_closing(BRACKETS)), "utf-8")
    journal = tmp_path / "closing.ttxsession"
    sessions = tmp_path / "sessions"
    played = make_app(
        Launch(scenario=scenario, seed=7, journal=journal), clock=lambda: FROZEN, directory=sessions
    )
    asyncio.run(_close(played, f"note {BRACKETS}"))
    played.close_session()
    resumed = make_app(Launch(resume=journal), clock=lambda: FROZEN, directory=sessions)
    asyncio.run(_reopen(resumed, BRACKETS))
    resumed.close_session()
