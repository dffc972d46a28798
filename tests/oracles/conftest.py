"""The oracle table: with `pytest tests/oracles -v`, every random oracle's truth, estimate,
99.9 % interval and half-width against theory, after the run."""

from __future__ import annotations

import pytest

from tests.oracles.oracle import RESULTS


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    if RESULTS and config.get_verbosity() > 0:
        terminalreporter.section("oracle table: truth, estimate, 99.9 % interval, width")
        for estimate in RESULTS:
            terminalreporter.write_line(estimate.row())
