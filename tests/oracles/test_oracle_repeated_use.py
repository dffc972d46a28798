"""`once: false` against scenarios/repeated_use.yaml: every evaluation happens, the number of uses
is Binomial(n, p), the first use is geometric (truncated to n), the last its mirror image."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.stats  # type: ignore[import-untyped]

from tests.oracles.oracle import Law, as_floats, batch, check_mean, check_proportion

N, P = 10, 0.2
DAY = 24.0


def first_use_index() -> Law:
    """K given use: P(K = k) = (1 - p)^(k - 1) p / (1 - (1 - p)^n), k = 1 .. n."""
    q = 1.0 - P
    return Law.discrete(range(1, N + 1), [q ** (k - 1) * P for k in range(1, N + 1)])


def scaled(law: Law, factor: float, offset: float = 0.0) -> Law:
    """The law of offset + factor X, for X of `law` (kurtosis is unchanged)."""
    return Law(offset + factor * law.mean, abs(factor) * law.sd, law.kurtosis)


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    return batch("repeated_use", runs=2000, seed=10).frame


def test_every_evaluation_happens(rows: pd.DataFrame) -> None:
    assert set(rows["chem_evaluations"]) == {N}


def test_uses_are_binomial(rows: pd.DataFrame) -> None:
    uses = as_floats(rows["chem_uses"])
    check_mean("repeated_use: uses ~ Binomial(10, 0.2)", uses, Law.of(scipy.stats.binom(N, P)))
    check_proportion(
        "repeated_use: P(use)", int(rows["chem_used"].sum()), len(rows), 1 - (1 - P) ** N
    )
    assert (uses > 0).tolist() == rows["chem_used"].tolist()


def test_first_use_is_geometric_and_the_last_its_mirror(rows: pd.DataFrame) -> None:
    used = rows[rows["chem_used"]]
    first, last = as_floats(used["chem_time"]), as_floats(used["chem_last_time"])
    index = first_use_index()
    check_mean("repeated_use: first use (h) | use", first, scaled(index, DAY))
    check_mean("repeated_use: last use (h) | use", last, scaled(index, -DAY, DAY * (N + 1)))
    check_proportion(
        "repeated_use: P(first use at 24 h | use)",
        int(np.count_nonzero(first == DAY)),
        len(first),
        P / (1 - (1 - P) ** N),
    )
    assert np.all(last >= first)
    assert ((as_floats(used["chem_uses"]) == 1) == (first == last)).all()


def test_the_band_is_that_of_the_first_use(rows: pd.DataFrame) -> None:
    bands = rows.loc[rows["chem_used"], "chem_band"]
    assert set(rows.loc[~rows["chem_used"], "chem_band"]) == {""}
    contained = int((bands == "contained").sum())
    check_proportion("repeated_use: P(first band contained)", contained, len(bands), 0.75)
