"""Typed random distributions, a discriminated union on the `dist` key.

Parameters are plain numbers or durations (`12h`, `2d`), which are read as hours, so one
distribution type serves both times and quantities. Each model checks its own parameters and
knows how to draw from a numpy `Generator`; nothing here owns randomness.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal

import numpy as np
from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator

from simulator.scenario.common import Model
from simulator.scenario.durations import DURATION_PATTERN, parse_duration


def _quantity(value: Any) -> float:
    if isinstance(value, str):
        return parse_duration(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("expected a number or a duration such as '12h'")
    if not math.isfinite(value):
        raise ValueError("expected a finite number")
    return float(value)


Quantity = Annotated[
    float,
    BeforeValidator(_quantity),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string", "pattern": DURATION_PATTERN}],
            "description": "A number, or a duration such as '12h' (read as hours).",
        }
    ),
]
"""A finite number; duration strings (`12h`, `2d`) are converted to hours."""

Probability = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]


class Fixed(Model):
    """Always the same value."""

    dist: Literal["fixed"]
    value: Quantity
    """The value."""

    def sample(self, rng: np.random.Generator) -> float:
        return self.value

    @property
    def mean(self) -> float:
        return self.value

    @property
    def low_high(self) -> tuple[float, float]:
        return self.value, self.value


class _Between:
    """What a distribution bounded by its `low` and `high` fields answers."""

    if TYPE_CHECKING:  # the fields are each model's, so Pydantic keeps the file's order
        low: float
        high: float

    @property
    def low_high(self) -> tuple[float, float]:
        return self.low, self.high


class Uniform(_Between, Model):
    """Any value between `low` and `high`, all equally likely."""

    dist: Literal["uniform"]
    low: Quantity
    """Smallest value."""
    high: Quantity
    """Largest value; must not be below `low`."""

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError("uniform: 'high' must be at least 'low'")
        return self

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.uniform(self.low, self.high))

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2


class Triangular(_Between, Model):
    """A three-point estimate: least, most likely and greatest value."""

    dist: Literal["triangular"]
    low: Quantity
    """Smallest value."""
    mode: Quantity
    """Most likely value, between `low` and `high`."""
    high: Quantity
    """Largest value."""

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise ValueError("triangular: need low <= mode <= high")
        return self

    def sample(self, rng: np.random.Generator) -> float:
        if self.low == self.high:
            return self.low
        return float(rng.triangular(self.low, self.mode, self.high))

    @property
    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3


class TruncatedNormal(Model):
    """A bell curve around `mean`, cut off at `low` and `high` (redrawn, not clipped)."""

    dist: Literal["truncated_normal"]
    mean_: Quantity = Field(alias="mean")
    """Centre of the untruncated bell curve."""
    sd: Annotated[Quantity, Field(gt=0)]
    """Standard deviation of the untruncated bell curve; must be positive."""
    low: Quantity | None = None
    """Lower cut-off; none when omitted."""
    high: Quantity | None = None
    """Upper cut-off; none when omitted."""

    @model_validator(mode="after")
    def _window(self) -> TruncatedNormal:
        lo = -math.inf if self.low is None else self.low
        hi = math.inf if self.high is None else self.high
        if hi <= lo:
            raise ValueError("truncated_normal: 'high' must be above 'low'")
        # A window far in one tail would make redrawing loop for ages; say so at load time.
        if _normal_mass(self.mean_, self.sd, lo, hi) < 1e-3:
            raise ValueError("truncated_normal: the window [low, high] holds almost no probability")
        return self

    def sample(self, rng: np.random.Generator) -> float:
        lo = -math.inf if self.low is None else self.low
        hi = math.inf if self.high is None else self.high
        while True:
            x = float(rng.normal(self.mean_, self.sd))
            if lo <= x <= hi:
                return x

    @property
    def mean(self) -> float:
        lo = -math.inf if self.low is None else self.low
        hi = math.inf if self.high is None else self.high
        a, b = (lo - self.mean_) / self.sd, (hi - self.mean_) / self.sd
        mass = _phi_cdf(b) - _phi_cdf(a)
        return self.mean_ + self.sd * (_phi_pdf(a) - _phi_pdf(b)) / mass

    @property
    def low_high(self) -> tuple[float, float]:
        return (
            -math.inf if self.low is None else self.low,
            math.inf if self.high is None else self.high,
        )


class _PositiveByMean:
    """What a positive distribution given by its mean (`mean_`, written `mean`) answers."""

    if TYPE_CHECKING:  # the field itself is each model's, so Pydantic keeps the file's order
        mean_: float

    @property
    def mean(self) -> float:
        return self.mean_

    @property
    def low_high(self) -> tuple[float, float]:
        return 0.0, math.inf


class LogNormal(_PositiveByMean, Model):
    """A right-skewed positive quantity given by its own mean and standard deviation.

    Good for delays: most are near the mean, a few run long.
    """

    dist: Literal["lognormal"]
    mean_: Annotated[Quantity, Field(gt=0)] = Field(alias="mean")
    """Mean of the quantity itself (not of its logarithm); must be positive."""
    sd: Annotated[Quantity, Field(gt=0)]
    """Standard deviation of the quantity itself; must be positive."""

    def _log_params(self) -> tuple[float, float]:
        sigma2 = math.log1p((self.sd / self.mean_) ** 2)
        return math.log(self.mean_) - sigma2 / 2, math.sqrt(sigma2)

    def sample(self, rng: np.random.Generator) -> float:
        mu, sigma = self._log_params()
        return float(rng.lognormal(mu, sigma))


class Exponential(_PositiveByMean, Model):
    """Memoryless waiting time with the given mean."""

    dist: Literal["exponential"]
    mean_: Annotated[Quantity, Field(gt=0)] = Field(alias="mean")
    """Mean waiting time; must be positive."""

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.exponential(self.mean_))


class Bernoulli(Model):
    """1 with probability `p`, otherwise 0."""

    dist: Literal["bernoulli"]
    p: Probability
    """Probability of drawing 1, between 0 and 1."""

    def sample(self, rng: np.random.Generator) -> float:
        return 1.0 if rng.random() < self.p else 0.0

    @property
    def mean(self) -> float:
        return self.p

    @property
    def low_high(self) -> tuple[float, float]:
        return 0.0, 1.0


def weighted_index(u: float, weights: Sequence[float]) -> int:
    """The index that a uniform draw `u` in [0, 1) picks with these relative weights: one
    uniform against cumulative weights, in the order given (the seeding scheme depends on it).

    numpy's `choice()` validates its probability vector on every call, which costs more than
    the draw itself.
    """
    pick = u * sum(weights)
    for index, weight in enumerate(weights):
        if pick < weight:
            return index
        pick -= weight
    return len(weights) - 1


class WeightedValue(Model):
    """One value of a weighted choice."""

    value: Quantity
    """The value drawn."""
    weight: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    """Relative weight; need not sum to one."""


class Choice(Model):
    """One of a list of values, each with a relative weight."""

    dist: Literal["choice"]
    options: Annotated[list[WeightedValue], Field(min_length=1, max_length=1000)]
    """The values and their weights."""

    def sample(self, rng: np.random.Generator) -> float:
        # One uniform against cumulative weights: numpy's choice() validates its probability
        # vector on every call, which costs more than the draw itself.
        return self.options[weighted_index(rng.random(), [o.weight for o in self.options])].value

    @property
    def mean(self) -> float:
        total = sum(o.weight for o in self.options)
        return sum(o.value * o.weight for o in self.options) / total

    @property
    def low_high(self) -> tuple[float, float]:
        values = [o.value for o in self.options]
        return min(values), max(values)


Distribution = Annotated[
    Fixed | Uniform | Triangular | TruncatedNormal | LogNormal | Exponential | Bernoulli | Choice,
    Field(discriminator="dist"),
]
"""A random distribution, chosen by its `dist` key."""


def _phi_pdf(x: float) -> float:
    return 0.0 if math.isinf(x) else math.exp(-x * x / 2) / math.sqrt(2 * math.pi)


def _phi_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def _normal_mass(mean: float, sd: float, lo: float, hi: float) -> float:
    return _phi_cdf((hi - mean) / sd) - _phi_cdf((lo - mean) / sd)
