"""Monte Carlo batch runs: seeded replications, streamed results, statistics and plots.

The names below load on first use, so a submodule such as `simulator.batch.executors` stays
light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator import lazy_names

if TYPE_CHECKING:
    from simulator.batch.api import BatchError, BatchResult, load_results, run_batch

__all__ = ["BatchError", "BatchResult", "load_results", "run_batch"]

_HOMES = dict.fromkeys(__all__, "simulator.batch.api")

# Hidden from mypy, which would otherwise type every misspelt name as `object`.
if not TYPE_CHECKING:
    __getattr__ = lazy_names(__name__, _HOMES)
