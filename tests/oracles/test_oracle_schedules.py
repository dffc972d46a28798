"""Chemical-use schedules against scenarios/schedule_open.yaml (no `until`, a swept probability)
and schedule_until.yaml (`until`, `once: false`): the count of evaluations and
P(use) = 1 - (1 - p)^n."""

from __future__ import annotations

import math

import numpy as np
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
    check_proportion,
    simulate,
)

OPEN_N = 21  # 0 h, 12 h, ..., 240 h
SWEPT = (0.02, 0.05)
UNTIL_N = 7  # 2 h, 2h 20m, ..., 4 h


def evaluations_law(p: float, n: int) -> Law:
    """Evaluations with `once: true`: min(K, n) for K ~ Geometric(p), so P(k) = (1 - p)^(k-1) p
    for k < n and P(n) = (1 - p)^(n - 1)."""
    q = 1.0 - p
    weights = [q ** (k - 1) * p for k in range(1, n)] + [q ** (n - 1)]
    return Law.discrete(range(1, n + 1), weights)


@pytest.fixture(scope="module")
def swept() -> pd.DataFrame:
    sweep = "chemical_use.probability=" + ",".join(f"{p:g}" for p in SWEPT)
    return batch("schedule_open", runs=1000, seed=21, sweeps=[sweep]).frame


def test_without_until_the_schedule_runs_to_the_end_instant() -> None:
    never = batch("schedule_open", runs=20, seed=21, sets=["chemical_use.probability=0"]).frame
    assert set(never["chem_evaluations"]) == {OPEN_N}
    assert not never["chem_used"].any()


@pytest.mark.parametrize("point", [0, 1])
def test_each_swept_probability_gives_one_minus_q_to_the_n(swept: pd.DataFrame, point: int) -> None:
    p = SWEPT[point]
    rows = swept[swept["point"] == point]
    assert set(rows["sweep.chemical_use.probability"]) == {p}
    used = int(rows["chem_used"].sum())
    check_proportion(f"schedule_open p={p}: P(use)", used, len(rows), 1 - (1 - p) ** OPEN_N)
    check_mean(
        f"schedule_open p={p}: evaluations",
        as_floats(rows["chem_evaluations"]),
        evaluations_law(p, OPEN_N),
    )


def test_sweep_points_share_their_seeds(swept: pd.DataFrame) -> None:
    """Common random numbers: use at a lower probability implies use at a higher one."""
    used = swept.pivot(index="replication", columns="point", values="chem_used")
    assert not (used[0] & ~used[1]).any()
    assert (used[1] & ~used[0]).any()


def test_until_bounds_the_schedule_and_includes_its_last_time() -> None:
    records = simulate("schedule_until", 4).records
    times = [e.time for e in records if e.kind is EventKind.CHEM_EVALUATION]
    # start + k * every rounds (every = 1/3 h): 1e-9 h; the last is min(until, ...) exactly.
    assert times == pytest.approx([2.0 + k / 3.0 for k in range(UNTIL_N)], abs=TIME_TOLERANCE)
    assert times[-1] == 4.0


def test_until_past_the_end_or_before_the_start() -> None:
    rows = batch(
        "schedule_until", runs=20, seed=3, sweeps=["chemical_use.schedule.until=4h,30h,1h"]
    ).frame
    counts = {point: set(group["chem_evaluations"]) for point, group in rows.groupby("point")}
    assert counts == {0: {UNTIL_N}, 1: {math.floor(22 * 3 + 1e-9) + 1}, 2: {0}}


def test_with_until_every_evaluation_is_a_fresh_chance() -> None:
    rows = batch("schedule_until", runs=1500, seed=7).frame
    assert set(rows["chem_evaluations"]) == {UNTIL_N}
    uses = as_floats(rows["chem_uses"])
    check_proportion(
        "schedule_until: P(at least one use)",
        int(np.count_nonzero(uses)),
        len(uses),
        1 - 0.9**UNTIL_N,
    )
    check_mean(
        "schedule_until: uses ~ Binomial(7, 0.1)", uses, Law.of(scipy.stats.binom(UNTIL_N, 0.1))
    )
