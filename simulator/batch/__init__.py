"""Monte Carlo batch runs: seeded replications, streamed results, statistics and plots.

The names imported below load on first use (`simulator.lazy_names`), so the submodules stay
light: `simulator.batch.executors` alone loads no pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator import lazy_names

if TYPE_CHECKING:
    from simulator.batch.api import BatchError, BatchResult, load_results, run_batch

__all__ = ["BatchError", "BatchResult", "load_results", "run_batch"]

# Hidden from mypy, which would otherwise type every misspelt name as `object`.
if not TYPE_CHECKING:
    __getattr__ = lazy_names(__name__, __file__)
