"""An expression that fails on the state the run reaches stops the model, not the console: one
line says why, the clock will not run on, and the session resumes to where it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from console_helpers import SHIPPED, dashboard, frozen, sync, wait_for

from tests.engine.helpers import BASE
from tui.app import Launch, make_app

pytestmark = pytest.mark.timeout(60)

FAILING = (
    BASE
    + """
variables:
  - {id: k, label: K, initial: 0, min: 0, max: 1}
injects:
  - {id: bump, title: Bump, trigger: {at: 1h}, effects: [{type: set_variable, variable: k, value: 0.25}]}
rules:
  - {id: r, when: "vars.k == 0.25 ? [1][3] > 0 : false", effects: [{type: raise_alert, scope: nato}]}
"""
)
"""Valid at load (every sample state passes); the rule fails once the inject fires at 1 h."""


@sync
async def test_a_failing_expression_stops_the_model_in_one_line(sessions: Path) -> None:
    scenario = SHIPPED / "failing.yaml"
    scenario.write_text(FAILING)
    journal = Path("failing.ttxsession")
    app = make_app(
        Launch(scenario=scenario, seed=1, journal=journal),
        clock=frozen,
        directory=sessions,
        shipped=SHIPPED,
    )
    app.animation_level = "none"
    async with app.run_test() as pilot:
        board = dashboard(app)
        await pilot.press("space")
        await wait_for(pilot, lambda: board.stopped is not None)
        assert board.stopped is not None
        assert board.stopped.startswith("The model stopped at D+0 01:00: expression ")
        assert "index out of bounds" in board.stopped and "\n" not in board.stopped
        assert not board.running and app.screen is board
        shown = [n.message for n in app._notifications]
        assert board.stopped in shown
        await pilot.press("space")  # refused with the same line, the clock stays still
        await pilot.pause()
        assert not board.running
        await pilot.press("q")

    again = make_app(Launch(resume=journal), clock=frozen, directory=sessions, shipped=SHIPPED)
    again.animation_level = "none"
    async with again.run_test() as pilot:
        board = dashboard(again)
        assert board.stopped is None and board.session.sim.now <= 1.0
        await pilot.press("q")
