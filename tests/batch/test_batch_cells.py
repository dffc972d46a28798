"""Fan-chart quantiles from cells: exact for point masses, within their reported error otherwise,
and identical however the replications were chunked or merged."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.batch.cells import (
    REGULAR_BINS,
    CellSummary,
    DenseCells,
    SeriesSpec,
    cell_count,
    cell_index,
    quantiles,
    summarise,
)
from simulator.batch.series import FAN_QUANTILES

Floats = npt.NDArray[np.float64]


def chunks(spec: SeriesSpec, values: Floats, cuts: list[int]) -> list[CellSummary]:
    """Summaries of `values` (replications x times) cut into chunks before each of `cuts`."""
    bounds = [0, *cuts, values.shape[0]]
    return [summarise(spec, values[a:b]) for a, b in itertools.pairwise(bounds)]


def merged(spec: SeriesSpec, values: Floats, cuts: list[int] | None = None) -> DenseCells:
    dense = DenseCells(values.shape[1], cell_count(spec))
    for summary in chunks(spec, values, cuts or []):
        dense.add(summary)
    return dense


def fan(spec: SeriesSpec, values: Floats) -> tuple[Floats, Floats]:
    found = quantiles(merged(spec, values), FAN_QUANTILES)
    return found.values, found.error


def test_a_series_at_zero_in_every_run_has_every_quantile_exactly_zero() -> None:
    for spec in (SeriesSpec("v", 0.0, 100.0), SeriesSpec("v", 0.0, 100.0, known=(0.0,))):
        values, error = fan(spec, np.zeros((37, 4)))
        assert values.tolist() == [[0.0, 0.0, 0.0]] * 4
        assert error.tolist() == [[0.0, 0.0, 0.0]] * 4


def test_a_deterministic_series_is_reported_exactly_at_every_time() -> None:
    ramp = np.linspace(0.0, 1.0, 61) ** 1.5 * 0.97  # values that fall anywhere in their bins
    values, error = fan(SeriesSpec("r", 0.0, 1.0, known=(0.5,)), np.tile(ramp, (250, 1)))
    assert values.tolist() == [[v, v, v] for v in ramp.tolist()]
    assert not error.any()


def test_the_rank_is_exact_and_first_and_last_ranks_of_a_cell_are_exact() -> None:
    spec = SeriesSpec("v", 0.0, 1.0)
    # Ten values in one bin: p10 is the 1st (the cell's least), p90 the 9th, p50 the 5th.
    column = np.asarray(0.3 + np.arange(10)[:, None] * 1e-4, dtype=np.float64)
    values, error = fan(spec, column)
    assert values[0, 0] == column[0, 0] and error[0, 0] == 0.0
    assert column[0, 0] < values[0, 1] < column[-1, 0]
    assert error[0, 1] == pytest.approx(max(values[0, 1] - 0.3, 0.3009 - values[0, 1]))
    # The rank is ceil(q n) in integers: in floats 0.07 * 100 = 7.000000000000001 gives 8.
    hundred = np.r_[np.zeros(7), np.ones(93)][:, None]
    assert quantiles(merged(spec, hundred), [Fraction(7, 100)]).values[0, 0] == 0.0


def test_known_values_have_their_own_cells_in_value_order() -> None:
    spec = SeriesSpec("v", 0.0, 1.0, known=(0.0, 0.3, 0.3001, 1.0))
    probes = np.array([[-1.0, 0.0, 1e-9, 0.2999, 0.3, 0.30005, 0.3001, 0.999, 1.0, 2.0, np.nan]])
    cells = cell_index(spec, probes)[0]
    assert cells[-1] == -1
    assert list(cells[:-1]) == sorted(cells[:-1])
    assert len(set(cells[:-1].tolist())) == len(cells) - 1
    # Each known value adds its exact cell and splits its bin in two.
    assert cell_count(spec) == REGULAR_BINS + 2 * 4


def test_alert_rungs_count_per_rung_and_their_quantiles_are_rungs() -> None:
    spec = SeriesSpec("alert.a", 0.0, 3.0, True, ("a", "b", "c", "d"))
    rungs = np.array([[0.0], [1.0], [1.0], [3.0], [3.0]])
    dense = merged(spec, rungs)
    assert dense.count[0].tolist() == [1, 2, 0, 2]
    assert fan(spec, rungs)[0][0].tolist() == [0.0, 1.0, 3.0]


def test_times_without_any_value_have_no_quantile() -> None:
    spec = SeriesSpec("v", 0.0, 1.0)
    summary = summarise(spec, np.full((5, 3), np.nan))
    assert summary.where.size == summary.count.size == summary.low.size == 0
    values, error = fan(spec, np.full((5, 3), np.nan))
    assert np.isnan(values).all() and np.isnan(error).all()


def test_minus_zero_and_zero_merge_to_the_same_bytes_in_either_order() -> None:
    spec = SeriesSpec("v", -1.0, 1.0)
    a, b = np.array([[-0.0]]), np.array([[0.0]])
    one, other = DenseCells(1, cell_count(spec)), DenseCells(1, cell_count(spec))
    one.add(summarise(spec, a))
    one.add(summarise(spec, b))
    other.add(summarise(spec, b))
    other.add(summarise(spec, a))
    assert one.low.tobytes() == other.low.tobytes()


@st.composite
def samples(draw: st.DrawFn) -> tuple[SeriesSpec, Floats, list[int]]:
    low = draw(st.sampled_from([-5.0, 0.0, 0.25]))
    high = low + draw(st.sampled_from([1.0, 7.0, 100.0]))
    inside = st.floats(low, high, allow_nan=False, allow_infinity=False)
    known = tuple(sorted(set(draw(st.lists(inside, max_size=6)))))
    masses = [low, high, *known, *draw(st.lists(inside, min_size=1, max_size=3))]
    value = st.one_of(st.sampled_from(masses), inside, st.just(float("nan")))
    replications = draw(st.integers(1, 120))
    times = draw(st.integers(1, 3))
    flat = draw(st.lists(value, min_size=replications * times, max_size=replications * times))
    values = np.array(flat, dtype=np.float64).reshape(replications, times)
    cuts = sorted(set(draw(st.lists(st.integers(1, replications), max_size=6))))
    return SeriesSpec("s", low, high, known=known), values, cuts


@settings(max_examples=300, deadline=None)
@given(samples())
def test_each_quantile_lies_within_its_error_of_the_exact_one(
    sample: tuple[SeriesSpec, Floats, list[int]],
) -> None:
    spec, values, cuts = sample
    found = quantiles(merged(spec, values, cuts), FAN_QUANTILES)
    width = (spec.high - spec.low) / REGULAR_BINS
    for t in range(values.shape[1]):
        column = values[:, t][np.isfinite(values[:, t])]
        if column.size == 0:
            assert np.isnan(found.values[t]).all()
            continue
        for j, q in enumerate(FAN_QUANTILES):
            exact = np.quantile(column, float(q), method="inverted_cdf")
            assert abs(found.values[t, j] - exact) <= found.error[t, j]
            assert found.error[t, j] <= width * (1 + 1e-9)
            if np.count_nonzero(column == exact) == column.size:
                assert found.error[t, j] == 0.0


@settings(max_examples=100, deadline=None)
@given(samples(), st.randoms(use_true_random=False))
def test_merging_chunks_in_any_order_gives_identical_arrays(
    sample: tuple[SeriesSpec, Floats, list[int]], order: random.Random
) -> None:
    spec, values, cuts = sample
    shuffled = chunks(spec, values, cuts)
    order.shuffle(shuffled)
    whole, pieces = DenseCells(values.shape[1], cell_count(spec)), merged(spec, values, cuts)
    whole.add(summarise(spec, values))
    reordered = DenseCells(values.shape[1], cell_count(spec))
    for summary in shuffled:
        reordered.add(summary)
    for dense in (pieces, reordered):
        for name in ("count", "low", "high"):
            assert getattr(dense, name).tobytes() == getattr(whole, name).tobytes()


def test_quantiles_must_be_fractions_in_the_unit_interval() -> None:
    with pytest.raises(ValueError, match="not in"):
        quantiles(DenseCells(1, 3), [Fraction(0)])
