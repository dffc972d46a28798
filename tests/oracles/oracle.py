"""What the oracle modules share: the scenario files, the production paths that run them, and
the comparison of a Monte Carlo estimate with its closed-form truth.

Each scenario in `scenarios/` states its answer and how it was derived in the comment at its
top; the modules compute that answer in code from the stated formula and compare.

Deterministic oracles compare times and values exactly (`==`) where every input is a dyadic
number of hours (sums and halvings of such numbers are exact doubles), and to `TIME_TOLERANCE`
where the formula itself rounds (k * 20 min is not a double); each test says which.

Random oracles run a fixed-seed batch (`run_batch`, one job) and check, at 99.9 %:

1. that the truth lies inside the interval computed from the runs (Wilson for a proportion,
   Student-t for a mean), and
2. that the interval's half-width is what theory says for n runs: t * sigma / sqrt(n) with the
   theoretical sigma for a mean, Wilson's half-width at the true p for a proportion.

The half-width varies from seed to seed, so check 2 allows `SPREAD_ERRORS` standard errors of
that variation, derived for each law (see `mean_width_tolerance`): a seed fails with a chance
below one in a million, so the fixed seeds are not lucky picks and the suite cannot be flaky.
The allowance may not exceed `MAX_TOLERANCE`, so the check can fail: a half-width a fifth off
its theory fails whatever the seed (and most checks allow far less).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import NormalDist
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.stats  # type: ignore[import-untyped]

from simulator.batch import run_batch
from simulator.batch.api import BatchResult
from simulator.batch.stats import wilson_interval
from simulator.engine.events import Event, EventKind
from simulator.engine.policies import load_policy
from simulator.engine.simulation import Simulation
from simulator.scenario.compiled import CompiledScenario
from simulator.scenario.loader import load_scenario

HERE = Path(__file__).parent
SCENARIOS = HERE / "scenarios"
POLICIES = HERE / "policies"

CONFIDENCE = 0.999
Z = NormalDist().inv_cdf(0.5 + CONFIDENCE / 2.0)
SPREAD_ERRORS = 5.0
"""Standard errors of the half-width allowed: P(|N(0, 1)| > 5) = 5.7e-7."""
MAX_TOLERANCE = 0.2
"""The largest relative allowance on a half-width; runs are chosen so no check needs more."""
TIME_TOLERANCE = 1e-9
"""Hours: for times whose closed form rounds (k * every with a non-dyadic every)."""

Floats = npt.NDArray[np.float64]


def path(name: str) -> Path:
    """A scenario of this suite by its file stem."""
    return SCENARIOS / f"{name}.yaml"


def compiled(name: str) -> CompiledScenario:
    return load_scenario(path(name))


def simulate(name: str, seed: int | np.random.SeedSequence = 0) -> Simulation:
    """A traced headless run of a scenario to its end, under the default policy."""
    simulation = Simulation(compiled(name), seed)
    simulation.run()
    return simulation


def simulate_with(name: str, seed: np.random.SeedSequence, policy: str) -> Simulation:
    """A traced headless run under a policy file of `policies/`."""
    scenario = compiled(name)
    simulation = Simulation(scenario, seed, load_policy(POLICIES / f"{policy}.yaml", scenario))
    simulation.run()
    return simulation


def rule_times(records: Sequence[Event]) -> dict[str, list[float]]:
    """When each rule acted, in order."""
    acted: dict[str, list[float]] = {}
    for event in records:
        if event.kind is EventKind.RULE:
            acted.setdefault(str(event.payload.rule), []).append(event.time)
    return acted


def batch(name: str, runs: int, seed: int, **options: Any) -> BatchResult:
    """A Monte Carlo batch of a scenario through `run_batch`, in process (one job), no plots."""
    return run_batch(path(name), runs=runs, seed=seed, jobs=1, plots=False, **options)


def after(hours: float) -> float:
    """The next representable instant after `hours`, where a strict comparison first holds."""
    return math.nextafter(hours, math.inf)


@dataclass(frozen=True)
class Law:
    """What the checks need of a distribution: its mean, sd and (non-excess) kurtosis."""

    mean: float
    sd: float
    kurtosis: float

    @classmethod
    def of(cls, distribution: Any) -> Law:
        """From a frozen scipy.stats distribution."""
        mean, variance, _, excess = distribution.stats(moments="mvsk")
        return cls(float(mean), math.sqrt(float(variance)), float(excess) + 3.0)

    @classmethod
    def discrete(cls, values: Sequence[float], weights: Sequence[float]) -> Law:
        """Of a finite law given by its values and (relative) weights."""
        total = math.fsum(weights)
        return cls.of(scipy.stats.rv_discrete(values=(values, [w / total for w in weights])))


@dataclass(frozen=True)
class Estimate:
    """One random oracle's outcome, as the suite's table shows it."""

    label: str
    truth: float
    estimate: float
    low: float
    high: float
    width: float
    """The interval's half-width over the half-width theory gives."""
    allowance: float
    """How far `width` may be from 1 (relative)."""

    def row(self) -> str:
        return (
            f"{self.label:<56} truth {self.truth:>10.6g}  estimate {self.estimate:>10.6g}  "
            f"[{self.low:.6g}, {self.high:.6g}]  width/theory {self.width:.3f} "
            f"(+-{self.allowance:.3f})"
        )


RESULTS: list[Estimate] = []
"""Every estimate checked in this session, for the table `pytest -v` prints (conftest.py)."""


def mean_width_tolerance(law: Law, n: int) -> float:
    """Relative allowance on a t-interval's half-width t * s / sqrt(n) against t * sigma / sqrt(n).

    The ratio is s / sigma. The sample variance has variance sigma^4 (kurtosis - 1) / n to first
    order, so s / sigma has standard error sqrt((kurtosis - 1) / (4 n)) (delta method).
    """
    tolerance = SPREAD_ERRORS * math.sqrt((law.kurtosis - 1.0) / (4.0 * n))
    assert tolerance <= MAX_TOLERANCE, f"{n} runs are too few for a meaningful width check"
    return tolerance


def check_mean(label: str, sample: npt.ArrayLike, law: Law) -> None:
    """The law's mean lies in the sample's 99.9 % Student-t interval, of the width theory says."""
    values = np.asarray(sample, dtype=np.float64)
    n = int(values.size)
    centre = float(values.mean())
    t = float(scipy.stats.t.ppf(0.5 + CONFIDENCE / 2.0, n - 1))
    half = t * float(values.std(ddof=1)) / math.sqrt(n)
    width = half / (t * law.sd / math.sqrt(n))
    tolerance = mean_width_tolerance(law, n)
    estimate = _record(
        Estimate(label, law.mean, centre, centre - half, centre + half, width, tolerance)
    )
    assert estimate.low <= law.mean <= estimate.high, estimate.row()
    assert abs(width - 1.0) <= tolerance, estimate.row()


def wilson_half_width(p: float, n: int) -> float:
    """Half-width of the Wilson score interval at a proportion p of n trials."""
    return Z * math.sqrt(p * (1.0 - p) / n + Z * Z / (4.0 * n * n)) / (1.0 + Z * Z / n)


def check_proportion(label: str, successes: int, n: int, p: float) -> None:
    """p lies in the 99.9 % Wilson interval of successes / n, of the width theory says.

    The observed half-width is Wilson's at the observed share; allowed are the half-widths at
    every share within `SPREAD_ERRORS` binomial standard errors of p. The half-width depends on
    the share only through share (1 - share), monotone on each side of 1/2, so the extremes over
    that range are at its ends and at 1/2.
    """
    assert 0.0 < p < 1.0, "a certain outcome is checked exactly, not by an interval"
    low, high = wilson_interval(successes, n, confidence=CONFIDENCE)
    spread = SPREAD_ERRORS * math.sqrt(p * (1.0 - p) / n)
    shares = [max(0.0, p - spread), min(1.0, p + spread)]
    if shares[0] < 0.5 < shares[1]:
        shares.append(0.5)
    expected = wilson_half_width(p, n)
    widths = [wilson_half_width(share, n) / expected for share in shares]
    allowance = max(max(widths) - 1.0, 1.0 - min(widths))
    assert allowance <= MAX_TOLERANCE, f"{n} runs are too few for a meaningful width check"
    width = (high - low) / 2.0 / expected
    estimate = _record(Estimate(label, p, successes / n, low, high, width, allowance))
    assert low <= p <= high, estimate.row()
    assert min(widths) - 1e-12 <= width <= max(widths) + 1e-12, estimate.row()


def check_share_below(label: str, sample: npt.ArrayLike, x: float, probability: float) -> None:
    """A quantile check: the share of values at or below x is Binomial(n, F(x)) / n."""
    values = np.asarray(sample, dtype=np.float64)
    check_proportion(label, int(np.count_nonzero(values <= x)), int(values.size), probability)


def _record(estimate: Estimate) -> Estimate:
    RESULTS.append(estimate)
    return estimate


def as_floats(values: Any) -> Floats:
    """A frame column (or anything array-like) as float64."""
    return np.asarray(values, dtype=np.float64)
