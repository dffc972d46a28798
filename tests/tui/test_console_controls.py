"""Pilot tests for every dashboard control, driven with keys as a facilitator would."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pytest
from console_helpers import dashboard, drill_app, sync, wait_for
from rich.console import Console
from textual.pilot import Pilot

from simulator.engine.events import DecisionTaken
from tui.app import TTXApp
from tui.screens.dashboard import DEFAULT_SPEED, SPEEDS, DashboardScreen
from tui.screens.decision import DecisionScreen, OptionCommands
from tui.screens.help import HelpScreen
from tui.screens.hotwash import HotwashScreen
from tui.widgets.header import StatusLine
from tui.widgets.inject_feed import ALL, InjectFeed

pytestmark = pytest.mark.timeout(60)


def status_text(app: TTXApp) -> str:
    return str(dashboard(app).query_one(StatusLine).render())


@sync
async def test_space_starts_and_pauses_the_exercise_clock(sessions: Path) -> None:
    app = drill_app(sessions)
    async with app.run_test() as pilot:
        board = dashboard(app)
        assert not board.running and "PAUSED" in status_text(app)
        await pilot.press("space")
        assert board.running and "RUNNING" in status_text(app)
        await wait_for(pilot, lambda: board.cursor > 0.2)
        await pilot.press("space")
        stopped = board.cursor
        await pilot.pause(0.2)
        assert not board.running and board.cursor == stopped


@sync
async def test_step_advances_to_the_next_event_and_stays_paused(sessions: Path) -> None:
    app = drill_app(sessions)
    async with app.run_test() as pilot:
        board = dashboard(app)
        sim = board.session.sim
        before = len(sim.records)
        await pilot.press("s")
        assert len(sim.records) > before
        assert board.cursor == sim.now and not board.running


@sync
async def test_faster_and_slower_stop_at_the_ends_of_the_speed_range(sessions: Path) -> None:
    app = drill_app(sessions)
    async with app.run_test() as pilot:
        board = dashboard(app)
        assert board.speed == SPEEDS[DEFAULT_SPEED]
        await pilot.press("plus")
        assert board.speed == SPEEDS[DEFAULT_SPEED + 1]
        board.speed_index = len(SPEEDS) - 2
        await pilot.press("plus", "plus")
        assert math.isinf(board.speed) and "MAX" in status_text(app)
        board.speed_index = 1
        await pilot.press("minus", "minus")
        assert board.speed == SPEEDS[0] and "0.25 h/s" in status_text(app)


@sync
async def test_run_to_decision_pauses_and_opens_the_dialog(sessions: Path) -> None:
    app = drill_app(sessions)
    async with app.run_test() as pilot:
        board = dashboard(app)
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen))
        assert not board.running and board.speed == SPEEDS[DEFAULT_SPEED]
        assert [p.decision_id for p in board.session.sim.pending] == ["reinforce"]
        timing = str(app.screen.query_one("#decision-timing").render())
        assert "Deadline D+1 04:00" in timing and "4h left" in timing


async def open_decision(pilot: Pilot[None], app: TTXApp) -> DecisionScreen:
    await pilot.press("r")
    await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen))
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, DecisionScreen)
    return screen


@sync
async def test_number_key_chooses_and_records_the_note(sessions: Path) -> None:
    app = drill_app(sessions)
    async with app.run_test() as pilot:
        await open_decision(pilot, app)
        await pilot.press("tab", *"hold the line", "enter", "2")
        assert isinstance(app.screen, DashboardScreen)
        (recorded,) = dashboard(app).session.decisions
        assert (recorded.decision, recorded.option, recorded.note) == (
            "reinforce",
            "wait",
            "hold the line",
        )


@sync
async def test_e_reveals_effects_and_a_number_without_an_option_is_ignored(sessions: Path) -> None:
    app = drill_app(sessions)
    async with app.run_test() as pilot:
        dialog = await open_decision(pilot, app)

        def shown() -> str:
            options = dialog.query_one("#decision-options")
            console = Console(width=200, file=io.StringIO(), record=True)
            for option in options.options:  # type: ignore[attr-defined]
                console.print(option.prompt)
            return console.export_text()

        assert "▸" not in shown()
        await pilot.press("9")
        assert app.screen is dialog and dashboard(app).session.decisions == []
        await pilot.press("e")
        assert dialog.revealed == {"deploy"}
        assert "readiness of Battlegroup Amberland toward 95%" in shown()
        await pilot.press("e")
        assert "▸" not in shown()
        description = dialog.query_one("#decision-options").options[0].prompt  # type: ignore[attr-defined]
        narrow = Console(width=30, file=io.StringIO(), record=True)
        narrow.print(description)
        heading, *rest = narrow.export_text().splitlines()
        assert heading.startswith(" 1 ") and len(rest) > 1
        assert all(line.startswith("    ") for line in rest)
        await pilot.press("E")
        assert dialog.revealed == {"deploy", "wait"} and "Public support -0.05" in shown()


@sync
async def test_escape_defers_the_decision_and_d_brings_it_back(sessions: Path) -> None:
    app = drill_app(sessions)
    async with app.run_test() as pilot:
        await open_decision(pilot, app)
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
        assert "DECISION" in status_text(app)
        await pilot.press("d")
        assert isinstance(app.screen, DecisionScreen)
        await pilot.press("1")
        assert dashboard(app).session.decisions[0].option == "deploy"


@sync
async def test_note_is_stamped_and_linked_to_the_inject_and_objective(sessions: Path) -> None:
    app = drill_app(sessions)
    async with app.run_test() as pilot:
        await pilot.press("s")
        board = dashboard(app)
        current = board.current_inject
        assert current is not None
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#note-objective").value = "coordination"  # type: ignore[attr-defined]
        await pilot.press(*"host view", "enter")
        assert isinstance(app.screen, DashboardScreen)
        (note,) = board.session.notes
        assert note.text == "host view"
        assert (note.objective, note.inject, note.time) == ("coordination", current.inject.id, 0.0)


@sync
async def test_note_opens_over_the_decision_dialog_too(sessions: Path) -> None:
    app = drill_app(sessions)
    async with app.run_test() as pilot:
        await open_decision(pilot, app)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"split room", "enter")
        assert isinstance(app.screen, DecisionScreen)
        assert [n.text for n in dashboard(app).session.notes] == ["split room"]


async def play_to_end(pilot: Pilot[None], app: TTXApp, keys: tuple[str, ...]) -> list[str]:
    """Run to each decision and answer it with the next key; return the records at the end."""
    answers = list(keys)
    while not isinstance(app.screen, HotwashScreen):
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen | HotwashScreen))
        if isinstance(app.screen, DecisionScreen):
            await pilot.press(answers.pop(0))
    return [event.to_json() for event in dashboard(app).session.sim.records]


@sync
async def test_undo_then_the_same_choice_gives_the_identical_trace(sessions: Path) -> None:
    straight = drill_app(sessions, journal=Path("straight.ttxsession"))
    async with straight.run_test() as pilot:
        expected = await play_to_end(pilot, straight, ("1", "1"))
    undone = drill_app(sessions, journal=Path("undone.ttxsession"))
    async with undone.run_test() as pilot:
        await open_decision(pilot, undone)
        await pilot.press("2", "u")
        assert isinstance(undone.screen, DecisionScreen)
        assert dashboard(undone).session.decisions == []
        await pilot.press("1")
        assert await play_to_end(pilot, undone, ("1",)) == expected


@sync
async def test_undo_without_a_decision_says_so(sessions: Path) -> None:
    app = drill_app(sessions)
    async with app.run_test() as pilot:
        await pilot.press("u")
        assert isinstance(app.screen, DashboardScreen)
        assert any("There is no decision to undo" in n.message for n in app._notifications)


@sync
async def test_channel_and_audience_filters_narrow_the_feed(sessions: Path) -> None:
    app = drill_app(sessions)
    async with app.run_test() as pilot:
        await pilot.press("s", "s", "s", "s")
        feed = dashboard(app).query_one(InjectFeed)
        everything = feed.shown()
        assert len({d.inject.channel for d in everything}) > 1
        await pilot.press("c")
        first = feed.shown()
        assert first and len({d.inject.channel for d in first}) == 1
        assert len(first) < len(everything)
        while feed.filters[0] != ALL:
            await pilot.press("c")
        await pilot.press("a")
        audience = feed.shown()
        chosen = sorted({a for d in everything for a in d.inject.audience})[0]
        assert audience and all(chosen in d.inject.audience for d in audience)
        assert [d.seq for d in everything] == sorted((d.seq for d in everything), reverse=True)


@sync
async def test_save_as_moves_the_journal_to_the_typed_path(sessions: Path, tmp_path: Path) -> None:
    app = drill_app(sessions)
    async with app.run_test() as pilot:
        await pilot.press("s", "ctrl+s")
        field = app.screen.query_one("#save-path")
        field.value = str(tmp_path / "kept.ttxsession")  # type: ignore[attr-defined]
        await pilot.press("enter")
        assert dashboard(app).session.path == tmp_path / "kept.ttxsession"
        assert (tmp_path / "kept.ttxsession").is_file()
        await pilot.press("ctrl+s")
        app.screen.query_one("#save-path").value = "drill.ttxsession"  # type: ignore[attr-defined]
        await pilot.press("enter")
        assert any("already exists" in n.message for n in app._notifications)
        assert dashboard(app).session.path == tmp_path / "kept.ttxsession"


@sync
async def test_quit_then_resume_returns_to_the_same_moment(sessions: Path) -> None:
    first = drill_app(sessions)
    async with first.run_test() as pilot:
        await open_decision(pilot, first)
        await pilot.press("1", "s", "s", "n", *"seen", "enter", "q")
        board = dashboard(first)
        records = [e.to_json() for e in board.session.sim.records]
        position = board.session.sim.position  # type: ignore[attr-defined]
    assert first.return_code == 0
    again = drill_app(sessions, None, resume=Path("drill.ttxsession"))
    async with again.run_test():
        sim = dashboard(again).session.sim
        assert sim.position == position  # type: ignore[attr-defined]
        assert [e.to_json() for e in sim.records] == records
        assert [n.text for n in dashboard(again).session.notes] == ["seen"]


@sync
async def test_help_lists_every_dashboard_binding(sessions: Path) -> None:
    app = drill_app(sessions)
    async with app.run_test() as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen.query_one("#help-keys").render())
        for binding in DashboardScreen.BINDINGS:
            assert (binding.tooltip or binding.description) in keys  # type: ignore[union-attr]
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


@sync
async def test_command_palette_offers_every_action(sessions: Path) -> None:
    app = drill_app(sessions)
    async with app.run_test() as pilot:
        listed = list(app.get_system_commands(app.screen))
        titles = [command.title for command in listed]
        wanted = {b.description for b in DashboardScreen.BINDINGS}  # type: ignore[union-attr]
        assert wanted | {"Note", "Keys", "Quit"} <= set(titles)
        assert len(titles) == len(set(titles)) and all(command.help for command in listed)
        quit_command = next(c for c in listed if c.title == "Quit")
        assert quit_command.help == "Quit; the session is already saved"
        dialog = await open_decision(pilot, app)
        in_dialog = list(app.get_system_commands(dialog))
        assert all(command.help for command in in_dialog)
        assert {"Effects", "All effects", "Later"} <= {c.title for c in in_dialog}
        options = {hit.text: hit async for hit in OptionCommands(dialog).discover()}
        assert {"Choose 1: Deploy forward", "Choose 2: Hold in garrison"} <= set(options)
        searched = [hit async for hit in OptionCommands(dialog).search("garrison")]
        assert [hit.text for hit in searched] == ["Choose 2: Hold in garrison"]
        searched[0].command()
        await pilot.pause()
        assert dashboard(app).session.decisions[0].option == "wait"


@pytest.mark.slow
@sync
async def test_the_end_opens_the_hot_wash_which_writes_the_report(sessions: Path) -> None:
    app = drill_app(sessions)
    async with app.run_test() as pilot:
        await open_decision(pilot, app)
        await pilot.press("1", "n")
        await pilot.pause()
        await pilot.press(*"late", "enter")
        await play_to_end(pilot, app, ("1",))
        screen = app.screen
        assert isinstance(screen, HotwashScreen)
        summary = str(screen.query_one("#hotwash-summary").render())
        assert "Ended at D+4 00:00" in summary and "1 decision" in summary
        await pilot.press("m", "h")
        await wait_for(pilot, lambda: len(screen.exported) == 2, seconds=30)
        markdown = Path("drill.md").read_text(encoding="utf-8")
        assert "EXERCISE EXERCISE EXERCISE" in markdown
        assert "Reinforce the border?" in markdown and "late" in markdown
        assert Path("drill-readiness.png").is_file()
        html = Path("drill.html").read_text(encoding="utf-8")
        assert "data:image/png;base64," in html and "Reinforce the border?" in html
        await pilot.press("escape", "space")
        assert isinstance(app.screen, DashboardScreen) and "ENDED" in status_text(app)


@sync
async def test_letting_the_deadline_pass_applies_the_default_and_says_so(sessions: Path) -> None:
    app = drill_app(sessions)
    async with app.run_test() as pilot:
        await open_decision(pilot, app)
        board = dashboard(app)
        board.speed_index = SPEEDS.index(24.0)
        await pilot.press("escape", "space")
        await wait_for(pilot, lambda: not board.session.sim.pending)
        (taken,) = [e for e in board.session.sim.records if isinstance(e.payload, DecisionTaken)]
        assert isinstance(taken.payload, DecisionTaken)
        assert (taken.payload.option, taken.payload.by) == ("wait", "deadline")
        assert taken.time == 28.0 and board.session.decisions == []
        assert any("Deadline passed" in n.message for n in app._notifications)


@sync
async def test_a_click_on_an_option_chooses_it(sessions: Path) -> None:
    app = drill_app(sessions)
    async with app.run_test() as pilot:
        await open_decision(pilot, app)
        # Option 1 takes two lines (label and description); option 2 starts on the third.
        await pilot.click("#decision-options", offset=(6, 2))
        assert isinstance(app.screen, DashboardScreen)
        assert dashboard(app).session.decisions[0].option == "wait"
