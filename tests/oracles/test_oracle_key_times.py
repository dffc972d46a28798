"""Readiness at key times under a random mobilisation time, against
scenarios/key_times_random.yaml: r(t) = min(1, t / M) with M ~ U(24 h, 72 h)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy import integrate  # type: ignore[import-untyped]

from simulator.engine.metrics import key_time_label
from tests.oracles.oracle import Law, as_floats, batch, check_mean, check_share_below

LOW, HIGH = 24.0, 72.0


def readiness_law(hours: float) -> Law:
    """Moments of min(1, t / M) by integrating over M's density 1 / 48 on [24, 72]."""

    def moment(k: int) -> float:
        def density(m: float) -> float:
            return min(1.0, hours / m) ** k / (HIGH - LOW)

        return float(integrate.quad(density, LOW, HIGH, points=[hours])[0])

    m1, m2, m3, m4 = (moment(k) for k in range(1, 5))
    variance = m2 - m1 * m1
    fourth = m4 - 4 * m3 * m1 + 6 * m2 * m1 * m1 - 3 * m1**4
    return Law(m1, math.sqrt(variance), fourth / variance**2)


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    return batch("key_times_random", runs=1500, seed=24).frame


def test_the_closed_forms_agree_with_the_integrals() -> None:
    assert readiness_law(24.0).mean == pytest.approx(math.log(3) / 2, rel=1e-12)
    assert readiness_law(24.0).sd ** 2 == pytest.approx(1 / 3 - (math.log(3) / 2) ** 2)
    late = readiness_law(48.0)
    assert late.mean == pytest.approx(0.5 + math.log(1.5), rel=1e-12)
    assert late.sd**2 == pytest.approx(5 / 6 - (0.5 + math.log(1.5)) ** 2)


@pytest.mark.parametrize(("hours", "x", "below"), [(24.0, 0.5, 0.5), (48.0, 0.8, 0.25)])
def test_readiness_at_a_key_time(rows: pd.DataFrame, hours: float, x: float, below: float) -> None:
    sample = as_floats(rows[f"readiness.u.{key_time_label(hours)}"])
    check_mean(f"key_times_random: readiness at {hours:g} h, mean", sample, readiness_law(hours))
    check_share_below(f"key_times_random: P(readiness at {hours:g} h <= {x})", sample, x, below)


def test_every_unit_has_arrived_by_the_slowest_mobilisation(rows: pd.DataFrame) -> None:
    assert set(rows["readiness.u.t72"]) == {1.0}
