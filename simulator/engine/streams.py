"""Named random streams derived from one recorded root seed.

Each model component draws from its own numpy `Generator` (the adversary, each unit, each
inject, each variable's drift, each policy decision), so a change in one part of the model does
not shift the draws of another: analysts comparing courses of action get common random numbers.
A stream's seed depends only on the root seed and the stream's name, never on creation order,
and streams are created lazily because most runs never touch most of them.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass

import numpy as np

from simulator.engine.events import JSONValue, canonical_json
from simulator.engine.seed_range import MAX_SEED

Seed = int | np.random.SeedSequence

JOURNAL_FIELDS = ("entropy", "spawn_key", "pool_size", "n_children_spawned")
MAX_POOL_SIZE = 1024
"""numpy allocates the pool: a damaged journal must not ask for gigabytes (4 is the default)."""


def is_count(value: object) -> bool:
    """Whether `value` is a non-negative integer (not a bool): a seed, spawn key entry or count."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def root_sequence(seed: Seed) -> np.random.SeedSequence:
    """The root SeedSequence of a run: `SeedSequence(seed)` for an int seed, or the sequence
    itself. The one check of a seed given by a person or a caller."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if not is_count(seed) or seed > MAX_SEED:
        raise ValueError(f"a seed must be an integer from 0 to 2**63 - 1, not {seed!r}")
    return np.random.SeedSequence(seed)


def replication_sequence(seed: int, replication: int) -> np.random.SeedSequence:
    """Replication i of a batch: the i-th child of `SeedSequence(seed)`."""
    root_sequence(seed)
    if not is_count(replication):
        raise ValueError(f"a replication must be a non-negative integer, not {replication!r}")
    return np.random.SeedSequence(entropy=seed, spawn_key=(replication,))


@dataclass(frozen=True, slots=True)
class SeedRecord:
    """Everything needed to rebuild the exact `numpy.random.SeedSequence` a run started with.

    A journal stores all four fields (`to_json`); a trace's start record stores the entropy and
    spawn key (`trace`), which is all a run's streams depend on.
    """

    entropy: int | tuple[int, ...]
    """The root entropy: the seed, or numpy's words of it."""
    spawn_key: tuple[int, ...] = ()
    """The path from the root: `(i,)` for replication i of a batch."""
    pool_size: int = 4
    """numpy's entropy pool size (4 unless the sequence was built otherwise)."""
    n_children_spawned: int = 0
    """How many children the sequence had spawned when it was recorded."""

    @classmethod
    def of(cls, seed: Seed) -> SeedRecord:
        sequence = root_sequence(seed)
        entropy = sequence.entropy
        if entropy is None:
            raise ValueError("a SeedSequence without entropy cannot be recorded")
        return cls(
            entropy=int(entropy) if isinstance(entropy, int) else tuple(int(e) for e in entropy),
            spawn_key=tuple(int(k) for k in sequence.spawn_key),
            pool_size=int(sequence.pool_size),
            n_children_spawned=int(sequence.n_children_spawned),
        )

    def sequence(self) -> np.random.SeedSequence:
        """A fresh SeedSequence per call: spawning mutates one, and each replay must start clean."""
        entropy = self.entropy if isinstance(self.entropy, int) else list(self.entropy)
        return np.random.SeedSequence(
            entropy,
            spawn_key=self.spawn_key,
            pool_size=self.pool_size,
            n_children_spawned=self.n_children_spawned,
        )

    def trace(self) -> tuple[int, ...]:
        """The seed as a start record carries it: the root entropy, then the spawn key."""
        if not isinstance(self.entropy, int):
            raise ValueError("only integer-entropy seeds can be recorded in a trace")
        return (self.entropy, *self.spawn_key)

    def to_json(self) -> str:
        """The journal's form: a JSON object of the four fields, keys sorted, no spaces."""
        entropy: JSONValue = self.entropy if isinstance(self.entropy, int) else list(self.entropy)
        values: tuple[JSONValue, ...] = (
            entropy,
            list(self.spawn_key),
            self.pool_size,
            self.n_children_spawned,
        )
        return canonical_json(dict(zip(JOURNAL_FIELDS, values, strict=True)))

    @classmethod
    def from_json(cls, text: str) -> SeedRecord | None:
        """Read back `to_json` from untrusted text: None unless it is exactly such a record."""
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict) or set(data) != set(JOURNAL_FIELDS):
            return None
        entropy, spawn_key = data["entropy"], data["spawn_key"]
        if isinstance(entropy, list):
            if not entropy or not all(is_count(e) for e in entropy):
                return None
            entropy = tuple(entropy)
        elif not is_count(entropy):
            return None
        if not isinstance(spawn_key, list) or not all(is_count(k) for k in spawn_key):
            return None
        pool_size, spawned = data["pool_size"], data["n_children_spawned"]
        if not is_count(pool_size) or not 4 <= pool_size <= MAX_POOL_SIZE or not is_count(spawned):
            return None
        return cls(entropy, tuple(spawn_key), pool_size, spawned)

    def describe(self) -> str:
        """Short text for people: the entropy, and the spawn key when there is one."""
        base = str(self.entropy) if isinstance(self.entropy, int) else str(list(self.entropy))
        return f"{base} / spawn {list(self.spawn_key)}" if self.spawn_key else base


class Streams(dict[str, np.random.Generator]):
    """Lazily created generators, looked up by stream name: `streams["adversary"]`.

    A dict whose missing keys build their generator keeps the lookup, done on every draw, a
    plain dictionary access.
    """

    __slots__ = ("root",)

    def __init__(self, root: np.random.SeedSequence) -> None:
        super().__init__()
        self.root = root

    def __missing__(self, name: str) -> np.random.Generator:
        key = (*self.root.spawn_key, zlib.crc32(name.encode()))
        sequence = np.random.SeedSequence(entropy=self.root.entropy, spawn_key=key)
        generator = np.random.Generator(np.random.PCG64(sequence))
        self[name] = generator
        return generator
