"""One record, one exercise time: the console feed, both reports and `ttx run` print the same
`D+0 05:20` for the same inject (they used to round in one place and truncate in another)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from console_helpers import DRILL, SHIPPED, dashboard, frozen, sync, wait_for
from textual.widgets import OptionList
from typer.testing import CliRunner

from simulator.engine.events import InjectDelivered
from simulator.report.aar import build_report
from simulator.report.html import to_html
from simulator.report.markdown import to_markdown
from simulator.scenario.durations import exercise_time
from tui.app import Launch, make_app
from tui.cli import app as cli
from tui.widgets.inject_feed import InjectFeed

pytestmark = pytest.mark.timeout(90)

INTEL = "Intelligence - further build-up across the border"
"""The drill's inject drawn uniformly between 2 h and 6 h: its time is not a round minute."""
SEED = 3
"""A seed that draws it at 0.95 of a minute, where rounding and truncating part ways."""
STAMP = re.compile(r"D\+\d+ \d\d:\d\d")


def _stamps(text: str) -> set[str]:
    """The times on the lines of the inject itself (not of what followed "after" it)."""
    lines = [line for line in text.splitlines() if INTEL in line and "after inject" not in line]
    return {m for line in lines for m in STAMP.findall(line)}


@sync
async def test_feed_reports_and_ttx_run_print_one_time_for_one_record(sessions: Path) -> None:
    launch = Launch(scenario=DRILL, seed=SEED, journal=Path("drill.ttxsession"))
    app = make_app(launch, clock=frozen, directory=sessions, shipped=SHIPPED)
    app.animation_level = "none"
    async with app.run_test() as pilot:
        board = dashboard(app)
        feed = board.query_one(InjectFeed)
        while not any(d.inject.title == INTEL for d in feed.shown()):
            await pilot.press("s")
            await pilot.pause()
        await wait_for(pilot, lambda: any(d.inject.title == INTEL for d in feed.shown()))
        record = next(
            e
            for e in board.session.sim.records
            if isinstance(e.payload, InjectDelivered) and e.payload.title == INTEL
        )
        # In the second half of a minute, where rounding and truncating part ways.
        assert record.time * 60 % 1 > 0.5
        expected = exercise_time(record.time)
        lines = [str(o.prompt) for o in feed.query_one("#feed-list", OptionList).options]
        assert _stamps("\n".join(lines)) == {expected}
        journal = board.session.path
        await pilot.press("q")

    report = build_report(journal)
    assert _stamps(to_markdown(report, sessions)) == {expected}
    assert _stamps(to_html(report).replace("</td><td>", " ")) == {expected}

    run = CliRunner().invoke(cli, ["run", str(DRILL), "--seed", str(SEED)])
    assert run.exit_code == 0, run.output
    assert _stamps(run.stdout) == {expected}
