"""Paired courses of action against scenarios/paired_coa.yaml: the two policies run on the same
seeds, so per-seed differences have the law derived there, narrower than two independent
samples would give."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator.engine.streams import replication_sequence
from tests.oracles.oracle import (
    POLICIES,
    Law,
    as_floats,
    batch,
    check_mean,
    check_proportion,
    simulate_with,
)

N = 10
P_APPROVE, P_DEFER = 0.02, 0.05
RUNS, SEED = 1500, 17
COURSES = ("approve-summit", "defer-summit")


def evaluations_difference() -> Law:
    """Law of min(K_d, n) - min(K_a, n) over the joint law of the first-use indices
    K_d <= K_a (scenarios/paired_coa.yaml)."""
    qa, qd, gap = 1 - P_APPROVE, 1 - P_DEFER, P_DEFER - P_APPROVE
    mass: dict[int, float] = {0: qd**N}  # no use under either within n
    for j in range(1, N + 1):
        mass[0] += qd ** (j - 1) * P_APPROVE  # both first use at j
        for k in range(j + 1, N + 1):  # defer at j, approve later at k
            d = j - k
            mass[d] = mass.get(d, 0.0) + qd ** (j - 1) * gap * qa ** (k - j - 1) * P_APPROVE
        d = j - N  # defer at j, approve never within n: it runs all n evaluations
        mass[d] = mass.get(d, 0.0) + qd ** (j - 1) * gap * qa ** (N - j)
    assert sum(mass.values()) == pytest.approx(1.0, abs=1e-12)
    return Law.discrete(list(mass), list(mass.values()))


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    policies = [POLICIES / f"{name}.yaml" for name in COURSES]
    return batch("paired_coa", runs=RUNS, seed=SEED, policies=policies).frame


def wide(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """One row per replication, one column per course of action."""
    return frame.pivot(index="replication", columns="policy", values=column)


def test_each_course_of_action_gives_one_minus_q_to_the_n(frame: pd.DataFrame) -> None:
    used = wide(frame, "chem_used")
    for name, p in zip(COURSES, (P_APPROVE, P_DEFER), strict=True):
        check_proportion(
            f"paired_coa {name}: P(use)", int(used[name].sum()), RUNS, 1 - (1 - p) ** N
        )


def test_the_paired_difference_of_p_use(frame: pd.DataFrame) -> None:
    used = wide(frame, "chem_used")
    difference = as_floats(used["defer-summit"]) - as_floats(used["approve-summit"])
    assert difference.min() >= 0.0  # no seed uses under approve alone
    delta = (1 - P_APPROVE) ** N - (1 - P_DEFER) ** N
    law = Law.discrete([0.0, 1.0], [1 - delta, delta])
    check_mean("paired_coa: P(use) defer - approve (paired)", difference, law)
    # Pairing pays: the sd of an unpaired difference would be sqrt(p_a q_a + p_d q_d) = 0.62.
    unpaired = np.sqrt(sum(as_floats(used[name]).var(ddof=1) for name in COURSES))
    assert difference.std(ddof=1) < 0.75 * unpaired


def test_the_paired_difference_of_mean_evaluations(frame: pd.DataFrame) -> None:
    evaluations = wide(frame, "chem_evaluations")
    difference = as_floats(evaluations["defer-summit"]) - as_floats(evaluations["approve-summit"])
    law = evaluations_difference()
    closed = (1 - (1 - P_DEFER) ** N) / P_DEFER - (1 - (1 - P_APPROVE) ** N) / P_APPROVE
    assert law.mean == pytest.approx(closed, rel=1e-12)
    check_mean("paired_coa: evaluations defer - approve (paired)", difference, law)


def test_groups_share_the_replication_seeds(frame: pd.DataFrame) -> None:
    """Replication i is SeedSequence(entropy=seed, spawn_key=(i,)) under every policy."""
    assert set(frame["seed"]) == {SEED}
    for name in COURSES:
        rows = frame[frame["policy"] == name].set_index("replication")
        for replication in (0, 1, 2):
            sequence = replication_sequence(SEED, replication)
            again = simulate_with("paired_coa", sequence, name).metrics()
            for column in ("chem_used", "chem_time", "chem_evaluations"):
                assert np.array_equal(
                    as_floats([again[column]]),
                    as_floats([rows.loc[replication, column]]),
                    equal_nan=True,
                ), (name, replication, column)
