"""Typed event records and the one describer: every kind serialises to the trace format and
reads as words, with the one exercise-time notation."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import typing
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.engine.describe import CATEGORIES, Describer
from simulator.engine.events import (
    AlertChanged,
    ChemUsed,
    DecisionOpened,
    Event,
    EventKind,
    Payload,
    ReadinessCrossed,
    Started,
    VariableChanged,
)
from simulator.scenario.durations import calendar_time, clock_minutes, exercise_time
from simulator.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[1]
EASTERN = load_scenario(ROOT / "scenarios" / "eastern-flank.yaml").scenario


def _example(cls: type[Payload]) -> Payload:
    values: dict[str, object] = {}
    for f in dataclasses.fields(cls):
        hint = typing.get_type_hints(cls)[f.name]
        args = typing.get_args(hint)
        if hint is float or float in args:
            values[f.name] = 0.5
        elif hint is int:
            values[f.name] = 3
        elif f.name == "seed":
            values[f.name] = (7, 0)
        elif f.name == "affected":
            values[f.name] = ("albania",)
        elif args and all(isinstance(a, str) for a in args):
            values[f.name] = args[0]
        else:
            values[f.name] = "x"
    return cls(**values)


PAYLOAD_CLASSES = typing.get_args(Payload)


def test_every_kind_has_one_payload_class() -> None:
    assert sorted(cls.kind for cls in PAYLOAD_CLASSES) == sorted(EventKind)
    assert set(CATEGORIES) == set(EventKind)


@pytest.mark.parametrize("cls", PAYLOAD_CLASSES, ids=lambda c: c.__name__)
def test_trace_line_has_seq_time_kind_and_the_fields_at_top_level(cls: type[Payload]) -> None:
    payload = _example(cls)
    line = json.loads(Event(4, 1.5, payload).to_json())
    names = [f.name for f in dataclasses.fields(cls)]
    assert set(line) == {"seq", "time", "kind", *names}
    assert (line["seq"], line["time"], line["kind"]) == (4, 1.5, cls.kind.value)
    for name in names:
        value = getattr(payload, name)
        assert line[name] == (list(value) if isinstance(value, tuple) else value)


@pytest.mark.parametrize("cls", PAYLOAD_CLASSES, ids=lambda c: c.__name__)
def test_every_kind_reads_as_a_sentence(cls: type[Payload]) -> None:
    line = Describer(EASTERN).line(Event(0, 27.25, _example(cls)))
    assert line.when == "D+1 03:15"
    assert line.text and line.category == CATEGORIES[cls.kind]


def test_chemical_use_names_the_affected_nations_and_the_displaced() -> None:
    describer = Describer(EASTERN)
    use = ChemUsed("b", "Severe", ("czech_republic", "albania"), 12000)
    detail = describer.detail(Event(0, 0.0, use))
    assert detail == "displaced 12,000; affected Czech Republic, Albania"


def test_a_deadline_is_an_exercise_time() -> None:
    opened = DecisionOpened("d", "Title", 30.0, "schedule")
    assert Describer(EASTERN).detail(Event(0, 24.0, opened)) == "deadline D+1 06:00"


def test_started_records_keep_the_seed_as_a_list() -> None:
    assert json.loads(Event(0, 0.0, Started("s", "T", (1, 2, 3))).to_json())["seed"] == [1, 2, 3]


@given(st.floats(min_value=0.0, max_value=24 * 3650, allow_nan=False))
def test_exercise_and_calendar_time_show_the_same_minute(hours: float) -> None:
    start = dt.datetime(2022, 3, 23, 8, 0, tzinfo=dt.UTC)
    minutes = clock_minutes(hours)
    assert minutes <= hours * 60 + 1e-3
    days, rest = divmod(minutes, 1440)
    assert exercise_time(hours) == f"D+{days} {rest // 60:02d}:{rest % 60:02d}"
    shown = dt.datetime.strptime(calendar_time(start, hours), "%Y-%m-%d %H:%MZ")
    assert shown.replace(tzinfo=dt.UTC) - start == dt.timedelta(minutes=minutes)


def test_a_clock_does_not_show_a_minute_before_it_is_reached() -> None:
    # The console used to round here (00:22) while the calendar truncated (08:21).
    assert exercise_time(21.6 / 60) == "D+0 00:21"
    assert exercise_time(0.35) == "D+0 00:21"  # 0.35 h is stored as 0.34999...
    assert exercise_time(24.0) == "D+1 00:00"


def test_a_unit_and_a_nation_sharing_an_id_keep_their_own_names() -> None:
    from tests.engine.helpers import scenario

    compiled = scenario(
        """
units:
  - id: est
    name: Spearhead
    host: est
    lead: est
    readiness: {initial: 0.5, scope: nato, targets: {normal: 0.5}, mobilisation: {dist: fixed, value: 1h}}
"""
    )
    words = Describer(compiled.scenario)
    assert (words.name("est"), words.unit("est")) == ("Estonia", "Spearhead")
    alert = AlertChanged("est", "normal", "high", "x")
    assert words.describe(Event(0, 0.0, alert)) == "Estonia alert: Normal → High"
    crossed = ReadinessCrossed("est", 0.5, "up", 0.5)
    assert words.describe(Event(0, 0.0, crossed)).startswith("Spearhead reaches")


@pytest.mark.parametrize("name", ["eastern-flank", "tutorial", "reserve-mobilisation"])
def test_every_cause_the_engine_gives_reads_as_words(name: str) -> None:
    from simulator.engine.simulation import Simulation

    compiled = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    words = Describer(compiled.scenario)
    simulation = Simulation(compiled, 7)
    simulation.run_until(compiled.scenario.clock.duration)
    causes = {getattr(e.payload, "cause", None) for e in simulation.records} - {None}
    assert causes
    for cause in causes:
        assert isinstance(cause, str)
        said = words.cause(cause)
        kind, _, rest = cause.partition(":")
        if kind == "rule":
            assert said == f"rule “{rest}”"  # a rule's id is its only name
            continue
        assert "=" not in said and not said.startswith(f"{kind}:"), (cause, said)
        assert said != cause or cause == "drift"


def test_wide_variables_read_as_whole_numbers() -> None:
    from tests.engine.helpers import scenario

    compiled = scenario(
        """
variables:
  - {id: displaced, label: Displaced, initial: 0, max: 1000000}
  - {id: tension, label: Tension, initial: 0.5}
"""
    )
    words = Describer(compiled.scenario)
    wide = VariableChanged("displaced", 1234.4, 12500.0, "drift")
    assert words.describe(Event(0, 0.0, wide)) == "Displaced: 1,234 → 12,500"
    narrow = VariableChanged("tension", 0.5, 0.566, "drift")
    assert words.describe(Event(0, 0.0, narrow)) == "Tension: 0.50 → 0.57"
