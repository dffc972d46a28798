"""The one seeding rule and seed check, on the functions runs, batches and journals use."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.engine.events import Started
from simulator.engine.simulation import Simulation
from simulator.engine.streams import SeedRecord, replication_sequence, root_sequence
from simulator.session.entries import parse_seed
from tests.engine.helpers import scenario

NOT_SEEDS = [-1, True, False, 1.5, "7", None]


ROOT = r"a seed must be an integer from 0 to 2\*\*63 - 1"


@pytest.mark.parametrize("seed", [*NOT_SEEDS, 2**63])
def test_every_entry_point_refuses_what_is_not_a_seed(seed: object) -> None:
    with pytest.raises(ValueError, match=ROOT):
        root_sequence(seed)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=ROOT):
        SeedRecord.of(seed)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=ROOT):
        Simulation(scenario(""), seed)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=ROOT):
        replication_sequence(seed, 0)  # type: ignore[arg-type]
    if seed != 2**63:  # replications have no upper bound but the spawn key's
        with pytest.raises(ValueError, match="non-negative integer"):
            replication_sequence(0, seed)  # type: ignore[arg-type]


def test_the_largest_seed_runs() -> None:
    assert root_sequence(2**63 - 1).entropy == 2**63 - 1


def test_an_int_seed_is_the_root_of_its_runs_and_the_start_record_names_it() -> None:
    assert root_sequence(7).generate_state(4).tolist() == (
        np.random.SeedSequence(7).generate_state(4).tolist()
    )
    for seed, named in ((7, (7,)), (replication_sequence(7, 3), (7, 3))):
        start = Simulation(scenario(""), seed).records[0].payload
        assert isinstance(start, Started)
        assert start.seed == named


def test_a_trace_cannot_name_a_seed_of_several_words() -> None:
    with pytest.raises(ValueError, match="integer-entropy"):
        Simulation(scenario(""), np.random.SeedSequence([1, 2]))


def test_the_journal_form_is_unchanged() -> None:
    record = SeedRecord.of(replication_sequence(42, 3))
    assert record.to_json() == (
        '{"entropy":42,"n_children_spawned":0,"pool_size":4,"spawn_key":[3]}'
    )
    assert parse_seed(record.to_json()) == record
    assert SeedRecord.from_json(record.to_json().replace(":4,", ":4000000000,")) is None
    assert SeedRecord.of(7).describe() == "7"
    assert record.describe() == "42 / spawn [3]"


@given(
    entropy=st.integers(min_value=0, max_value=2**128)
    | st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=4),
    spawn_key=st.lists(st.integers(0, 1000), max_size=3),
)
def test_a_record_read_back_rebuilds_the_same_sequence(
    entropy: int | list[int], spawn_key: list[int]
) -> None:
    original = np.random.SeedSequence(entropy, spawn_key=spawn_key)
    again = SeedRecord.from_json(SeedRecord.of(original).to_json())
    assert again is not None
    assert again.sequence().generate_state(4).tolist() == original.generate_state(4).tolist()


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=20), inner),
    max_leaves=8,
)


@given(
    st.text(max_size=200)
    | JSON.map(json.dumps)
    | st.fixed_dictionaries(
        dict.fromkeys(("entropy", "spawn_key", "pool_size", "n_children_spawned"), JSON)
    ).map(json.dumps)
)
def test_a_damaged_journal_seed_is_refused_not_raised(text: str) -> None:
    record = SeedRecord.from_json(text)
    if record is not None:
        record.sequence()
