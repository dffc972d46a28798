"""Silent traps `ttx validate` warns about: conditions only checked at events, chemical-use
schedules that never run, and variables clamped at a bound the file left at its default."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.scenario.loader import check_document, check_scenario
from simulator.scenario.yaml_safe import read_yaml_text

WARN = Path(__file__).parent.parent / "data" / "warn"
BASE = """\
schema_version: 1
meta: {id: traps, title: Traps}
clock: {start: 2030-01-01T00:00:00Z, duration: 3d}
actors:
  alliances: [{id: alliance, name: The Alliance}]
alert:
  levels: [{id: low, label: Low}, {id: high, label: High}]
  initial: {alliance: low}
injects:
  - {id: opening, title: Opening, trigger: {at: 1h}}
"""

T_ONLY_AT_EVENTS = (
    "t is read other than in a comparison with a number, so this condition is only checked "
    "when something else it reads changes; compare t with a number, as in t >= 36.0"
)
T_NEVER = (
    "t is read other than in a comparison with a number and nothing else this condition reads "
    "changes, so it is never re-checked after hour zero; compare t with a number, as in t >= 36.0"
)


def readiness_message(unit: str) -> str:
    return (
        f"readiness.{unit} is read other than in a comparison with a number, so this condition "
        "is only checked when that unit's target changes, it crosses a threshold or it arrives; "
        f"compare readiness.{unit} with a number, as in readiness.{unit} >= 0.9"
    )


def file_warnings(name: str) -> list[str]:
    check = check_scenario(WARN / name)
    assert check.ok, check.issues
    assert all(issue.severity == "warning" for issue in check.issues)
    return [str(issue).removeprefix(f"{WARN / name}:") for issue in check.issues]


def inline_warnings(extra: str) -> list[str]:
    check = check_document(read_yaml_text(BASE + extra, "x.yaml"))
    assert check.ok, check.issues
    return [str(issue) for issue in check.issues]


def test_every_watched_condition_with_a_loose_read_is_located() -> None:
    assert file_warnings("loose_reads.yaml") == [
        f"36:21: warning: injects[0].trigger.when: {T_NEVER}",
        f"39:21: warning: injects[1].trigger.when: {T_ONLY_AT_EVENTS}",
        f"44:21: warning: injects[2].trigger.when: {T_NEVER}",
        f"47:21: warning: injects[3].trigger.when: {readiness_message('bg_a')}",
        f"47:21: warning: injects[3].trigger.when: {readiness_message('bg_b')}",
        f"57:21: warning: decisions[0].trigger.when: {T_ONLY_AT_EVENTS}",
        f"64:14: warning: chemical_use.triggers[0].when: {T_ONLY_AT_EVENTS}",
        f"70:11: warning: rules[0].when: {T_ONLY_AT_EVENTS}",
        f"75:11: warning: end[0].when: {T_NEVER}",
    ]


@pytest.mark.parametrize(
    "condition",
    [
        "t >= 36.0",
        "double(day) * 24.0 > 30.0",  # day is exact: the engine wakes at every day boundary
        "!(t < 12.0) && day != 2",
        "vars.level_ * 2.0 > 1.0",
    ],
)
def test_comparisons_with_numbers_and_day_are_not_reported(condition: str) -> None:
    extra = (
        "variables: [{id: level_, label: L, initial: 0.2}]\n"
        f"rules:\n  - id: r\n    when: '{condition}'\n"
        "    effects: [{type: adjust_variable, variable: level_, by: 0.1}]\n"
    )
    assert inline_warnings(extra) == []


def test_a_loose_t_with_a_day_boundary_is_rechecked() -> None:
    extra = (
        "rules:\n  - id: r\n    when: 't / 24.0 >= double(day)'\n"
        "    effects: [{type: raise_alert, scope: alliance}]\n"
    )
    assert inline_warnings(extra) == [f"x.yaml:13:11: warning: rules[0].when: {T_ONLY_AT_EVENTS}"]


def test_a_variable_no_effect_changes_does_not_recheck_a_loose_t() -> None:
    extra = (
        "variables: [{id: deadline, label: D, max: 100, initial: 30}]\n"
        "end:\n  - {id: e, when: 't >= vars.deadline', reason: Late}\n"
    )
    assert inline_warnings(extra) == [f"x.yaml:13:19: warning: end[0].when: {T_NEVER}"]


def test_probabilities_and_metrics_are_read_at_an_instant_and_not_reported() -> None:
    extra = (
        "chemical_use:\n  schedule: {every: 1d}\n  probability: 't / 1000.0'\n"
        "  bands: [{id: b, label: B}]\n"
        "analysis:\n  metrics: [{id: m, label: M, expr: 't * 2.0'}]\n"
    )
    assert inline_warnings(extra) == []


def test_schedule_starting_after_the_end() -> None:
    assert file_warnings("schedule_after_end.yaml") == [
        "22:21: warning: chemical_use.schedule.start: the schedule starts at 3d, after the "
        "exercise ends (2d), so it is never evaluated; start it at or before 2d"
    ]


def test_schedule_stopping_before_it_starts_says_what_leaving_until_out_gives() -> None:
    # Evaluations at 1d, 1d 12h, 2d, 2d 12h and 3d: both ends are included.
    assert file_warnings("schedule_until_before_start.yaml") == [
        "22:44: warning: chemical_use.schedule.until: the schedule stops at 12h, before it "
        "starts at 1d, so it is never evaluated; set until after start, or leave it out for 5 "
        "evaluations up to the end"
    ]


@pytest.mark.parametrize(
    "schedule",
    [
        "{start: 1d, every: 1d, until: 10d}",  # until after the end: the run stops first
        "{start: 3d, every: 1d}",  # one evaluation, at the end itself
        "{start: 1d, every: 1d, until: 1d}",  # one evaluation, at until itself
    ],
)
def test_schedules_that_give_evaluations_are_not_reported(schedule: str) -> None:
    extra = f"chemical_use:\n  schedule: {schedule}\n  probability: 0.1\n"
    extra += "  bands: [{id: b, label: B}]\n"
    assert inline_warnings(extra) == []


def test_variables_pushed_to_a_default_bound() -> None:
    lead = "warning: variables[{0}].id: variable '{1}' leaves {2} at its default {3}, and "
    assert file_warnings("default_bounds.yaml") == [
        "18:10: "
        + lead.format(0, "incidents", "max", 1)
        + "injects[0].effects[0] (adjust_variable by 1) can reach it in one step from the "
        "initial 0, after which increases are silently lost; write max: explicitly",
        "19:9: "
        + lead.format(1, "displaced_k", "max", 1)
        + "variables[1].drift (drift by an unbounded exponential draw) can reach it in one step "
        "from the initial 0.5, after which increases are silently lost; write max: explicitly",
        "23:10: "
        + lead.format(2, "stock", "max", 1)
        + "injects[0].effects[2] (set_variable to 5) sets it past that, so the value is "
        "silently clamped to 1; write max: explicitly",
        "24:10: "
        + lead.format(3, "support", "min", 0)
        + "injects[0].effects[3] (adjust_variable by a draw from -0.7 to 0.1) can reach it in "
        "one step from the initial 0.6, after which decreases are silently lost; write min: "
        "explicitly",
    ]


def test_a_sum_that_lands_on_the_bound_in_floating_point_still_counts() -> None:
    extra = (
        "variables: [{id: v, label: V, initial: 0.7}]\n"
        "rules:\n  - id: r\n    when: 'fired.opening'\n"
        "    effects: [{type: adjust_variable, variable: v, by: 0.3}]\n"
    )
    assert [w.split(", and ")[0] for w in inline_warnings(extra)] == [
        "x.yaml:11:18: warning: variables[0].id: variable 'v' leaves max at its default 1"
    ]


@pytest.mark.parametrize(
    "variable",
    [
        "{id: v, label: V, max: 1, initial: 0}",  # the bound is written: the author means it
        "{id: v, label: V, max: 1.0, min: 0, initial: 0}",
        "{id: v, label: V, initial: 0.5}",  # 0.5 + 0.25 stays inside
    ],
)
def test_bounds_written_or_not_reached_are_not_reported(variable: str) -> None:
    extra = (
        f"variables: [{variable}]\n"
        "rules:\n  - id: r\n    when: 'fired.opening'\n"
        "    effects:\n"
        "      - {type: adjust_variable, variable: v, by: 0.25}\n"
        "      - {type: set_variable, variable: v, value: 1.0}\n"
    )
    assert inline_warnings(extra) == []
