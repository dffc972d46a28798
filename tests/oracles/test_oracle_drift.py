"""Drift against scenarios/drift.yaml: steps at every, 2 every, ... up to and including the end,
kept within bounds; a Bernoulli drift sums to a binomial."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import scipy.stats  # type: ignore[import-untyped]

from simulator.engine.events import EventKind
from tests.oracles.oracle import (
    TIME_TOLERANCE,
    Law,
    as_floats,
    batch,
    check_mean,
    check_share_below,
    simulate,
)

END = 240.0
STEPS = {"daily": (24.0, 1.0), "odd": (26.0 + 40.0 / 60.0, 1.0), "seven": (7.0, 0.5)}


def changes() -> dict[str, list[tuple[float, float]]]:
    """(time, new value) of each recorded change, per variable."""
    found: dict[str, list[tuple[float, float]]] = {}
    for event in simulate("drift").records:
        if event.kind is EventKind.VARIABLE:
            new = float(event.payload.new)  #
            found.setdefault(str(event.payload.variable), []).append((event.time, new))
    return found


def test_drift_steps_at_each_multiple_of_its_interval_up_to_the_end() -> None:
    found = changes()
    for variable, (every, by) in STEPS.items():
        count = math.floor(END / every + 1e-9)  # the quotient within 1e-9 of 9 counts as 9
        times = [time for time, _ in found[variable]]
        assert len(times) == count, variable
        # Whole hours (daily, seven) are exact; k * 26h 40m rounds, hence the tolerance.
        assert times == pytest.approx([k * every for k in range(1, count + 1)], abs=TIME_TOLERANCE)
        assert [value for _, value in found[variable]] == [k * by for k in range(1, count + 1)]
    assert found["odd"][-1][0] == END  # the ninth step falls on the end itself


def test_drift_stops_at_the_bound_and_never_starts_past_the_end() -> None:
    found = changes()
    assert found["capped"] == [(24.0, 0.75), (48.0, 1.0)]
    assert "never" not in found


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    return batch("drift", runs=600, seed=8).frame


def test_drift_finals_in_every_replication(rows: pd.DataFrame) -> None:
    finals = {"daily": 10.0, "odd": 9.0, "seven": 17.0, "capped": 1.0, "never": 0.0}
    for variable, final in finals.items():
        assert set(rows[f"metric.{variable}"]) == {final}, variable


def test_a_bernoulli_drift_sums_to_a_binomial(rows: pd.DataFrame) -> None:
    coin = as_floats(rows["metric.coin"])
    law = scipy.stats.binom(10, 0.4)
    check_mean("drift: coin ~ Binomial(10, 0.4), mean", coin, Law.of(law))
    check_share_below("drift: coin, P(coin <= 3)", coin, 3.0, float(law.cdf(3)))
