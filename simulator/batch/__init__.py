"""Monte Carlo batch runs: seeded replications, streamed results, statistics and plots."""

from simulator.batch.api import BatchError, BatchResult, load_results, run_batch

__all__ = ["BatchError", "BatchResult", "load_results", "run_batch"]
