"""The worked numbers in docs/model.md (and the format page's tip) follow from the rules it states and from the engine."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.engine.replication import run_replication
from simulator.scenario.durations import periodic_count
from tests.engine.helpers import BASE, scenario

DOC_DIR = Path(__file__).resolve().parents[2] / "docs"
DOC = (DOC_DIR / "model.md").read_text(encoding="utf-8")


def evaluations(start: str, days: int) -> int:
    """How many times the engine evaluates a daily schedule over `days` days."""
    compiled = scenario(
        f"""
chemical_use:
  probability: 0.0
  schedule: {{start: {start}, every: 1d}}
  bands: [{{id: any, label: Any}}]
""",
        base=BASE.replace("duration: 10d", f"duration: {days}d"),
    )
    count = run_replication(compiled, 1).row["chem_evaluations"]
    assert isinstance(count, int)
    return count


@pytest.mark.parametrize(
    ("start", "hours", "n", "percent"), [("0h", 0.0, 31, "26.8"), ("1d", 24.0, 30, "26.0")]
)
def test_the_daily_schedule_tip_is_computed_from_the_stated_rule(
    start: str, hours: float, n: int, percent: str
) -> None:
    assert periodic_count(hours, 24.0, 720.0) == n
    assert evaluations(start, 30) == n
    assert f"{100 * (1 - 0.99**n):.1f}" == percent
    assert f"*n* = {n}" in DOC
    assert f"{percent} %" in DOC


def test_the_doc_states_the_31_evaluations_of_a_daily_schedule_from_zero() -> None:
    assert "1 − 0.99³¹ ≈ 26.8 %" in DOC
    assert re.search(r"\(0 h, 24 h, …, 720 h\)", DOC)


def test_drift_over_thirty_days_steps_thirty_times() -> None:
    compiled = scenario(
        """
variables:
  - {id: count, label: Count, initial: 0, max: 1000, drift: {every: 1d, by: 1}}
analysis:
  metrics: [{id: count, label: Count, expr: vars.count}]
""",
        base=BASE.replace("duration: 10d", "duration: 30d"),
    )
    assert run_replication(compiled, 1).row["metric.count"] == 30.0
    assert "`drift: {every: 1d}` over 30 days steps 30 times" in DOC


def test_the_format_page_tip_gives_the_same_numbers() -> None:
    format_page = (DOC_DIR / "scenario-format.md").read_text(encoding="utf-8")
    assert periodic_count(0.0, 24.0, 720.0) == 31
    assert "evaluates 31 times (0 h, 24 h, …, 720 h), so 0.01 gives 26.8 %" in format_page
    assert "it evaluates 30 times, 26.0 %" in format_page


def test_the_records_table_lists_every_record_kind_and_its_fields() -> None:
    import dataclasses
    import typing

    from simulator.engine.events import Payload

    block = DOC.split("<!-- records -->\n", 1)[1].split("<!-- /records -->", 1)[0]
    documented = {}
    for row in block.splitlines()[2:]:
        kind, record, fields, _ = (cell.strip() for cell in row.strip("|").split("|"))
        documented[kind.strip("`")] = (record.strip("`"), fields.replace("`", ""))
    expected = {
        cls.kind.value: (cls.__name__, ", ".join(f.name for f in dataclasses.fields(cls)))
        for cls in typing.get_args(Payload)
    }
    assert documented == expected
