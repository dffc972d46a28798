"""Every distribution's mean and one quantile, against the scipy.stats closed forms stated in
scenarios/distributions.yaml (draws as drift amounts, traced) and random_delays.yaml (draws as
trigger times and delays, read from a batch)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
import scipy.stats  # type: ignore[import-untyped]

from simulator.engine.events import EventKind
from simulator.engine.streams import replication_sequence
from tests.oracles.oracle import (
    Floats,
    Law,
    as_floats,
    batch,
    check_mean,
    check_share_below,
    simulate,
)

HOURS = 240  # one drift step per hour


def lognormal(mean: float, sd: float) -> Any:
    """scipy's lognormal with the given mean and sd of the quantity itself."""
    sigma2 = math.log1p((sd / mean) ** 2)
    return scipy.stats.lognorm(s=math.sqrt(sigma2), scale=math.exp(math.log(mean) - sigma2 / 2))


def truncated_normal(mean: float, sd: float, low: float, high: float) -> Any:
    return scipy.stats.truncnorm((low - mean) / sd, (high - mean) / sd, loc=mean, scale=sd)


def choice(values: list[float], weights: list[float]) -> Any:
    total = sum(weights)
    return scipy.stats.rv_discrete(values=(values, [w / total for w in weights]))


# (variable, law, quantile level q): the check is on the share of draws <= ppf(q).
DRIFTED = [
    ("uniform", scipy.stats.uniform(6, 42), 0.25),
    ("triangular", scipy.stats.triang(0.2, loc=12, scale=60), 0.5),
    ("truncated_normal", truncated_normal(24, 6, 18, 36), 0.5),
    ("lognormal", lognormal(10, 3), 0.5),
    ("exponential", scipy.stats.expon(scale=5), 0.5),
    ("bernoulli", scipy.stats.bernoulli(0.3), 0.5),
    ("choice", choice([72, 120, 192], [2, 2, 1]), 0.4),
]


@pytest.fixture(scope="module")
def draws() -> dict[str, Floats]:
    """Per variable, its hourly drift draws over 20 replications: 4,800 each."""
    found: dict[str, list[float]] = {}
    for replication in range(20):
        records = simulate("distributions", replication_sequence(5, replication)).records
        steps: dict[str, dict[float, float]] = {}
        for event in records:
            if event.kind is EventKind.VARIABLE:
                new, old = event.payload.new, event.payload.old
                steps.setdefault(str(event.payload.variable), {})[event.time] = new - old
        for variable, changes in steps.items():
            # A step that drew 0 changed nothing and recorded nothing.
            found.setdefault(variable, []).extend(
                changes.get(float(hour), 0.0) for hour in range(1, HOURS + 1)
            )
    return {variable: np.asarray(values) for variable, values in found.items()}


def test_fixed_draws_are_the_value(draws: dict[str, Floats]) -> None:
    assert draws["fixed"].size == 20 * HOURS
    assert set(draws["fixed"].tolist()) == {2.5}


@pytest.mark.parametrize(("variable", "law", "q"), DRIFTED, ids=[d[0] for d in DRIFTED])
def test_drawn_amounts_follow_their_law(
    draws: dict[str, Floats], variable: str, law: Any, q: float
) -> None:
    sample = draws[variable]
    check_mean(f"distributions: {variable}, mean", sample, Law.of(law))
    x = float(law.ppf(q))
    check_share_below(f"distributions: {variable}, F({x:.6g})", sample, x, float(law.cdf(x)))


# (decision, how its hour relates to the draw: decided_at - offset, or minus another decision)
DELAYED = [
    ("d_exp", scipy.stats.expon(scale=6), 0.0, 0.5),
    ("d_coin", scipy.stats.bernoulli(0.3), 0.0, 0.5),
    ("d_after", scipy.stats.uniform(2, 4), 10.0, 0.25),
    ("d_dec", scipy.stats.triang(0.2, loc=1, scale=5), "d_exp", 0.5),
    ("d_when", lognormal(5, 2), 10.0, 0.5),
    ("d_chem", truncated_normal(3, 1, 1, 6), 24.0, 0.5),
    ("d_effect", choice([1, 3], [1, 3]), 10.0, 0.25),
]


@pytest.fixture(scope="module")
def delays() -> pd.DataFrame:
    return batch("random_delays", runs=1500, seed=13).frame


def test_a_fixed_time_is_the_value(delays: pd.DataFrame) -> None:
    assert set(delays["decided_at.d_fixed"]) == {5.0}


@pytest.mark.parametrize(("decision", "law", "origin", "q"), DELAYED, ids=[d[0] for d in DELAYED])
def test_drawn_times_and_delays_follow_their_law(
    delays: pd.DataFrame, decision: str, law: Any, origin: float | str, q: float
) -> None:
    start = as_floats(delays[f"decided_at.{origin}"]) if isinstance(origin, str) else origin
    sample = as_floats(delays[f"decided_at.{decision}"]) - start
    check_mean(f"random_delays: {decision}, mean", sample, Law.of(law))
    x = float(law.ppf(q))
    check_share_below(f"random_delays: {decision}, F({x:.6g})", sample, x, float(law.cdf(x)))
