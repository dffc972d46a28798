"""Every trigger kind against its scenario's timeline, through `ttx run --json` and the
`Simulation` API. All times in these scenarios are dyadic numbers of hours, so they are
compared exactly (==): any rounding on the engine's side would be a discrepancy."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from simulator.engine.events import EventKind
from tests.oracles.oracle import POLICIES, path, simulate
from tui.cli import app

Record = dict[str, Any]


def ttx_run(name: str, *options: str) -> list[Record]:
    """The records of `ttx run SCENARIO --json`, parsed."""
    result = CliRunner().invoke(app, ["run", str(path(name)), "--json", *options])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def happenings(records: list[Record]) -> list[tuple[str, str, float]]:
    """(kind, id, time) of each inject, skip, decision opening and answer, and the end."""
    keys = {
        "inject": "inject",
        "inject_skipped": "inject",
        "decision_open": "decision",
        "decision": "decision",
        "end": "reason",
    }
    return [(r["kind"], r[keys[r["kind"]]], r["time"]) for r in records if r["kind"] in keys]


def test_at_and_after_deliver_at_their_sums_in_scheduling_order() -> None:
    assert happenings(ttx_run("at_after")) == [
        ("inject", "start", 0.0),
        ("inject", "alpha", 5.0),
        ("inject", "beside", 5.0),
        ("inject_skipped", "skipped", 6.0),
        ("inject", "bravo", 6.5),
        ("inject", "delta", 7.0),
        ("inject", "charlie", 7.0),
        ("decision_open", "brief", 7.5),
        ("decision", "brief", 7.5),
        ("inject", "drawn", 30.0),
        ("inject", "last", 240.0),
        ("end", "end of exercise time", 240.0),
    ]


def test_when_acts_the_first_time_its_condition_holds_and_rules_as_often_as_asked() -> None:
    records = ttx_run("when")
    delivered = {r["inject"]: r["time"] for r in records if r["kind"] == "inject"}
    assert delivered == {
        "calm": 0.0,
        "rise": 12.0,
        "tense": 12.0,
        "tense_late": 15.0,
        "ease": 20.0,
        "rise_again": 30.0,
        "echo": 36.0,
    }
    assert [r["time"] for r in records if r["kind"] == "decision_open"] == [14.0]
    rules = [(r["rule"], r["time"]) for r in records if r["kind"] == "rule"]
    assert rules == [("once", 12.0), ("repeat", 12.0), ("repeat", 30.0)]


def test_on_decision_follows_any_answer_or_only_the_option_named() -> None:
    default = happenings(ttx_run("on_decision"))
    deferred = happenings(ttx_run("on_decision", "--policy", str(POLICIES / "defer-summit.yaml")))
    assert default == [
        ("decision_open", "summit", 10.0),
        ("decision", "summit", 10.0),
        ("decision_open", "follow_up", 11.0),
        ("decision", "follow_up", 11.0),
        ("inject", "approved", 16.0),
        ("inject", "any_answer", 58.0),
        ("end", "end of exercise time", 240.0),
    ]
    assert deferred == [
        ("decision_open", "summit", 10.0),
        ("decision", "summit", 10.0),
        ("inject", "deferred", 10.0),
        ("inject", "any_answer", 58.0),
        ("end", "end of exercise time", 240.0),
    ]


def test_on_chemical_use_and_no_use_follow_their_outcomes() -> None:
    for seed in range(3):  # the outcomes are certain: no seed may change them
        simulation = simulate("on_chemical", seed)
        records = simulation.records
        evaluations = [
            (e.time, e.payload.outcome, e.payload.cause)
            for e in records
            if e.kind is EventKind.CHEM_EVALUATION
        ]
        assert evaluations == [
            (12.0, "no_use", "schedule"),
            (24.0, "no_use", "schedule"),
            (30.0, "no_use", "inject:probe"),
            (36.0, "use", "schedule"),
        ]
        delivered = {str(e.payload.inject): e.time for e in records if e.kind is EventKind.INJECT}
        assert delivered == {
            "no_use_seen": 12.0,
            "no_use_later": 12.5,
            "probe": 30.0,
            "use_seen": 36.0,
            "use_later": 38.0,
        }
        opened = [(e.payload.decision, e.time) for e in records if e.kind is EventKind.DECISION]
        assert opened == [("response", 36.0)]
        row = simulation.metrics()
        assert (row["chem_time"], row["chem_evaluations"], row["metric.quiet"]) == (36.0, 4, 3.0)
        assert row["alert_first.alliance.elevated"] == 36.0
