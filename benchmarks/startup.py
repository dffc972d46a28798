"""Start-up time of `ttx`: `python benchmarks/startup.py [--repeat N]`.

Times whole processes, as a person at a terminal waits for them: `ttx --help`, `ttx --version`,
`ttx validate scenarios/tutorial.yaml`, and bare `python -c pass` as the floor every Python
program pays. The commands run interleaved (one of each per round, the order turning each
round) so a machine whose speed drifts slows them alike; each figure is the best of N rounds
(the run least disturbed by other work), with the median beside it. Ratios are to `python -c
pass`, the load average is printed with them: on a busy machine the medians move, the best
figures and the ratios much less. Target on the 2-core reference machine: `ttx --help` under
150 ms. Measured there with other jobs running (load average 2.4), best (median) of 30:
`python -c pass` 13 (20) ms, `ttx --help` 107 (155) ms, `ttx --version` 136 (196) ms,
`ttx validate scenarios/tutorial.yaml` 602 (821) ms; before the package faces were made lazy
and the help plain, `ttx --help` took 806 (1249) ms in the same conditions.

`ttx --help` imports Typer and the command modules only; each command imports its heavy
libraries (Pydantic, NumPy, Textual, pandas) inside its function, and the package `__init__`s
load nothing until a name is used. `tests/test_cli_entry.py` checks the imports; this measures.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _ttx() -> list[str]:
    """The `ttx` console script beside this interpreter, as installed; else the same entry
    point through `-c`."""
    script = Path(sys.executable).with_name("ttx")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from tui.cli import main; main()"]


@dataclass
class Timing:
    """The wall and CPU (user + system) seconds of every run of one command."""

    name: str
    argv: list[str]
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def run(self) -> None:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(self.argv, cwd=ROOT, capture_output=True, check=False)
        self.wall.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu.append(
            after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime,
        )
        if done.returncode != 0:
            sys.exit(f"{' '.join(self.argv)}: exit {done.returncode}: {done.stderr.decode()}")


def _load() -> str:
    """What `uptime` says (the load average shows how busy the machine was)."""
    uptime = shutil.which("uptime")
    if uptime is not None:
        return subprocess.run([uptime], capture_output=True, text=True, check=False).stdout.strip()
    one, five, fifteen = os.getloadavg()
    return f"load average: {one:.2f}, {five:.2f}, {fifteen:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="rounds (default 20)")
    args = parser.parse_args()
    ttx = _ttx()
    timings = [
        Timing("python -c pass", [sys.executable, "-c", "pass"]),
        Timing("ttx --help", [*ttx, "--help"]),
        Timing("ttx --version", [*ttx, "--version"]),
        Timing("ttx validate tutorial", [*ttx, "validate", "scenarios/tutorial.yaml"]),
    ]
    for timing in timings:  # a warm-up round: the file cache and .pyc files, not the figures
        timing.run()
        timing.wall.clear()
        timing.cpu.clear()
    print(f"before: {_load()}")
    for round_ in range(args.repeat):
        shift = round_ % len(timings)
        for timing in timings[shift:] + timings[:shift]:
            timing.run()
    print(f"after:  {_load()}")
    floor = min(timings[0].wall)
    print(
        f"{args.repeat} interleaved rounds; milliseconds, best (median); x: best / python -c pass"
    )
    print(f"{'command':<24}{'wall':>16}{'cpu':>16}{'x':>7}")
    for timing in timings:
        wall = f"{1000 * min(timing.wall):.0f} ({1000 * statistics.median(timing.wall):.0f})"
        cpu = f"{1000 * min(timing.cpu):.0f} ({1000 * statistics.median(timing.cpu):.0f})"
        print(f"{timing.name:<24}{wall:>16}{cpu:>16}{min(timing.wall) / floor:>7.1f}")


if __name__ == "__main__":
    main()
