"""The one range of root seeds, for every command and file: small enough to import anywhere
(the CLI declares its options with it before NumPy loads)."""

from typing import Final

MAX_SEED: Final = 2**63 - 1
"""The largest root seed: seeds are the entropy of a `numpy.random.SeedSequence`, kept to the
signed 64-bit integers that every tool reading a manifest or journal can hold exactly."""
