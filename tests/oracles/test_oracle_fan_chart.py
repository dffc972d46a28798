"""Deterministic fan charts and key-time values against scenarios/fan_ramp.yaml: every run has
the same state, so every quantile of a series is its value, exactly, with no error bound."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from simulator.engine.metrics import key_time_label
from tests.oracles.oracle import batch

GRID = [2.0 * k for k in range(49)]  # time_grid(96 h): every 2 h
KEY_TIMES = [0.5, 12.0, 36.0, 40.0, 60.0, 72.0, 90.0]


def ramp(hours: float) -> float:
    return min(1.0, max(0.0, (hours - 24.0) / 48.0))


def alert_rung(hours: float) -> float:
    return 0.0 if hours < 24.0 else 1.0


def flat(hours: float) -> float:
    return 0.0


def steps(hours: float) -> float:
    return float(hours // 24.0)


EXPECTED: dict[str, Callable[[float], float]] = {
    "readiness.ramp": ramp,
    "alert.alliance": alert_rung,
    "vars.flat": flat,
    "vars.steps": steps,
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("fan")
    batch("fan_ramp", runs=12, seed=2, out=directory)
    return directory


@pytest.mark.parametrize("series", sorted(EXPECTED))
def test_every_quantile_is_the_value_at_every_grid_time(out: Path, series: str) -> None:
    table = pd.read_parquet(out / "series.parquet")
    rows = table[table["series"] == series].sort_values("time")
    assert rows["time"].tolist() == GRID
    expected = [EXPECTED[series](hours) for hours in GRID]
    for column in ("p10", "p50", "p90"):
        assert rows[column].tolist() == expected, column
    assert set(rows["n"]) == {12}
    assert set(rows["error"]) == {0.0}


def test_key_times_record_the_ramp(out: Path) -> None:
    rows = pd.read_parquet(out / "runs.parquet")
    for hours in KEY_TIMES:
        column = f"readiness.ramp.{key_time_label(hours)}"
        assert set(rows[column]) == {ramp(hours)}, column
