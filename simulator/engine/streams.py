"""Named random streams derived from one recorded root seed.

Each model component draws from its own numpy `Generator` (the adversary, each unit, each
inject, each variable's drift, each policy decision), so a change in one part of the model does
not shift the draws of another: analysts comparing courses of action get common random numbers.
A stream's seed depends only on the root seed and the stream's name, never on creation order,
and streams are created lazily because most runs never touch most of them.
"""

from __future__ import annotations

import zlib

import numpy as np

Seed = int | np.random.SeedSequence


def root_sequence(seed: Seed) -> np.random.SeedSequence:
    """The root SeedSequence for an int seed (or the given sequence itself)."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"a seed must be a non-negative integer, not {seed!r}")
    return np.random.SeedSequence(seed)


def replication_sequence(seed: int, replication: int) -> np.random.SeedSequence:
    """Replication i of a batch: the i-th child of `SeedSequence(seed)`."""
    return np.random.SeedSequence(entropy=seed, spawn_key=(replication,))


def describe_seed(sequence: np.random.SeedSequence) -> list[int]:
    """A JSON-safe record of a seed: the root entropy followed by the spawn key."""
    entropy = sequence.entropy
    if not isinstance(entropy, int):
        raise ValueError("only integer-entropy seeds can be recorded")
    return [entropy, *sequence.spawn_key]


def sequence_from_record(record: list[int]) -> np.random.SeedSequence:
    """Inverse of `describe_seed`."""
    if not record or any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in record):
        raise ValueError(f"not a seed record: {record!r}")
    return np.random.SeedSequence(entropy=record[0], spawn_key=tuple(record[1:]))


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
