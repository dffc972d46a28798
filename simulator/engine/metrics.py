"""The flat per-run metrics row that batch results are made of."""

from __future__ import annotations

import math

from simulator.engine.model import ExerciseModel

Scalar = float | int | str | bool | None


def key_time_label(hours: float) -> str:
    """Column suffix for a key time: `t24`, `t168`, `t1.5` (hours)."""
    return f"t{hours:g}"


def _hours(value: float | None) -> float:
    return math.nan if value is None else value


def final_metrics(model: ExerciseModel) -> dict[str, Scalar]:
    """Every standard metric and the scenario's own, computed from the model's tallies."""
    scenario, run, alerts = model.scenario, model.run, model.alerts
    adversary = model.adversary
    nan = math.nan
    row: dict[str, Scalar] = {
        "end_time": run.end_time if run.end_time is not None else model.now,
        "end_reason": run.end_reason or "",
        "chem_used": adversary is not None and adversary.used,
        "chem_time": _hours(adversary.first_use if adversary else None),
        "chem_band": adversary.first_band if adversary else "",
        "chem_last_time": _hours(adversary.last_use if adversary else None),
        "chem_uses": adversary.uses if adversary else 0,
        "chem_evaluations": adversary.evaluations if adversary else 0,
        "chem_max_probability": adversary.max_probability if adversary else 0.0,
        "injects_fired": model.injects.delivered,
    }
    for scope in alerts.rung:
        row[f"alert_max.{scope}"] = alerts.highest[scope]
    for scope in alerts.rung:
        for rung, level_id in enumerate(alerts.level_ids):
            row[f"alert_first.{scope}.{level_id}"] = alerts.first.get((scope, rung), nan)
    final = model.sample_values()
    for when in scenario.analysis.key_times:
        values = model.samples.get(when, final)
        for unit in scenario.units:
            row[f"readiness.{unit.id}.{key_time_label(when)}"] = values[f"readiness.{unit.id}"]
    for decision in scenario.decisions:
        row[f"option.{decision.id}"] = model.decisions.chosen[decision.id]
    for decision in scenario.decisions:
        row[f"decided_at.{decision.id}"] = model.decisions.decided_at.get(decision.id, nan)
    for metric in scenario.analysis.metrics:
        value = model.view.evaluate(model.compiled.expr(metric.expr, "number_or_bool"))
        row[f"metric.{metric.id}"] = value if isinstance(value, bool) else float(value)
    return row
