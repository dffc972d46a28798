"""SciPy is loaded only when a statistic is computed, never by importing the statistics module
or by `ttx validate` (commands that compute no statistic should start fast)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def scipy_loaded_after(statement: str) -> bool:
    probe = f"import sys\n{statement}\nprint('scipy' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout.strip().splitlines()[-1] == "True"


def test_importing_the_statistics_does_not_load_scipy() -> None:
    assert not scipy_loaded_after("import simulator.batch.stats, simulator.batch.summary")


def test_ttx_validate_does_not_load_scipy() -> None:
    scenario = ROOT / "scenarios" / "tutorial.yaml"
    run = (
        "from tui.cli import main\n"
        f"sys.argv = ['ttx', 'validate', {str(scenario)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    assert not scipy_loaded_after(run)


def test_computing_a_p_value_loads_scipy() -> None:
    # The probe above would pass vacuously if it could not see SciPy at all.
    assert scipy_loaded_after("from simulator.batch.stats import t_quantile\nt_quantile(0.9, 3)")
