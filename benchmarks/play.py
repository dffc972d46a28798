"""Facilitator-console benchmark: launch time and UI responsiveness at full speed.

    python benchmarks/play.py               # 5 launches of each kind, one full-speed run
    python benchmarks/play.py --launches 10

Prints:
- cold import of the `ttx` command (what every `ttx` invocation pays before any work);
- `ttx play scenarios/eastern-flank.yaml` from process start to the first dashboard frame,
  headless (a fresh interpreter running the app under Textual's test driver; target < 1.5 s);
- the same in a real terminal when tmux is installed (launch to the banner on screen);
- a whole eastern-flank session at the maximum speed and at 168 exercise hours per second,
  every decision answered with its first option as soon as it opens: the longest run-loop
  tick, the longest gap between two ticks while running (30 per second are scheduled), and the
  longest stall of the event loop seen by a 5 ms heartbeat (the slowest UI refresh), apart
  for steady running and for the repaint when a dialog opens or closes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "eastern-flank.yaml"
TARGET_LAUNCH = 1.5

_FIRST_FRAME = """
import os, sys, time, asyncio
from pathlib import Path
started = float(os.environ["BENCH_STARTED"])
from tui.app import Launch, make_app
from tui.screens.dashboard import DashboardScreen

async def main() -> None:
    app = make_app(Launch(scenario=Path(sys.argv[1]), seed=1), directory=Path(sys.argv[2]))
    async with app.run_test(size=(100, 30)) as pilot:
        while not isinstance(app.screen, DashboardScreen):
            await asyncio.sleep(0.001)
        await pilot.pause()
        print(time.time() - started)

asyncio.run(main())
"""

_FULL_SPEED = """
import asyncio, json, sys, time
from pathlib import Path
from tui.app import Launch, make_app
from tui.screens.dashboard import SPEEDS, DashboardScreen
from tui.screens.decision import DecisionScreen
from tui.screens.hotwash import HotwashScreen

async def heartbeat(app, steady: list[float], switching: list[float]) -> None:
    screen, switched = app.screen, time.perf_counter()
    while True:
        before = time.perf_counter()
        await asyncio.sleep(0.005)
        now = time.perf_counter()
        stall = now - before - 0.005
        if app.screen is not screen:
            screen, switched = app.screen, now
        board = app.dashboard
        # Within 0.3 s of a dialog opening or closing, the stall is the screen change's repaint.
        calm = now - switched > 0.3 and app.screen is board and board.running
        (steady if calm else switching).append(stall)

async def main() -> None:
    app = make_app(Launch(scenario=Path(sys.argv[1]), seed=1), directory=Path(sys.argv[2]))
    steady: list[float] = []
    switching: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, DashboardScreen)
        board.speed_index = SPEEDS.index(float(sys.argv[3]))
        beat = asyncio.create_task(heartbeat(app, steady, switching))
        started = time.perf_counter()
        decisions = 0
        while not isinstance(app.screen, HotwashScreen):
            if isinstance(app.screen, DecisionScreen):
                await pilot.press("1")
                decisions += 1
            elif not board.running:
                await pilot.press("space")
            await asyncio.sleep(0.01)
        elapsed = time.perf_counter() - started
        beat.cancel()
        stats = board.stats
        print(json.dumps({
            "exercise_hours": board.session.sim.now, "wall_seconds": elapsed,
            "decisions": decisions, "ticks": stats.ticks, "steps": stats.steps,
            "slowest_tick": stats.slowest_tick, "slowest_gap": stats.slowest_gap,
            "steady_stall": max(steady, default=0.0),
            "steady_p99": sorted(steady)[int(len(steady) * 0.99)] if steady else 0.0,
            "switch_stall": max(switching, default=0.0),
        }))

asyncio.run(main())
"""


def _python(code: str, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )
    return done.stdout.strip().splitlines()[-1]


def cold_import() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import tui.cli"], check=True, cwd=ROOT)
    return time.perf_counter() - started


def headless_first_frame(sessions: Path) -> float:
    started = str(time.time())
    return float(
        _python(_FIRST_FRAME, str(SCENARIO), str(sessions), env={"BENCH_STARTED": started})
    )


def terminal_first_frame(sessions: Path) -> float | None:
    """Launch `ttx play` in a detached tmux session and wait for the banner to be drawn."""
    if shutil.which("tmux") is None:
        return None
    ttx = Path(sys.executable).with_name("ttx")
    name = f"ttx-bench-{os.getpid()}"
    command = f"TTX_SESSIONS_DIR={sessions} {ttx} play {SCENARIO} --seed 1"
    started = time.perf_counter()
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "30", command], check=True
    )
    try:
        while time.perf_counter() - started < 30:
            screen = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", name], capture_output=True, text=True
            ).stdout
            if "EXERCISE EXERCISE EXERCISE" in screen and "Alert levels" in screen:
                return time.perf_counter() - started
            time.sleep(0.01)
        return None
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], check=False)


def _summary(label: str, times: list[float]) -> str:
    return (
        f"{label}: median {statistics.median(times):.2f} s, "
        f"min {min(times):.2f} s, max {max(times):.2f} s ({len(times)} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--launches", type=int, default=5, help="launches of each kind")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        sessions = Path(scratch)
        print(_summary("cold import of tui.cli", [cold_import() for _ in range(options.launches)]))
        headless = [headless_first_frame(sessions) for _ in range(options.launches)]
        verdict = "meets" if statistics.median(headless) < TARGET_LAUNCH else "MISSES"
        print(_summary("launch to first dashboard frame (headless)", headless))
        print(f"  {verdict} the {TARGET_LAUNCH} s target")
        terminal = [terminal_first_frame(sessions) for _ in range(options.launches)]
        measured = [t for t in terminal if t is not None]
        if measured:
            print(_summary("launch to first frame in tmux", measured))
        else:
            print("launch in tmux: skipped (tmux not installed or the frame never appeared)")
        for speed in ("inf", "168"):
            run = json.loads(_python(_FULL_SPEED, str(SCENARIO), str(sessions), speed))
            label = "MAX" if speed == "inf" else f"{speed} h/s"
            print(
                f"{label}: {run['exercise_hours']:.0f} exercise hours in "
                f"{run['wall_seconds']:.2f} s wall, {run['decisions']} decisions, "
                f"{run['ticks']} ticks, {run['steps']} engine steps"
            )
            print(
                f"  slowest tick {run['slowest_tick'] * 1000:.1f} ms, slowest gap between ticks "
                f"{run['slowest_gap'] * 1000:.1f} ms"
            )
            print(
                f"  event-loop stalls while running: max {run['steady_stall'] * 1000:.1f} ms "
                f"(p99 {run['steady_p99'] * 1000:.1f} ms); around a dialog opening or closing: "
                f"max {run['switch_stall'] * 1000:.1f} ms"
            )


if __name__ == "__main__":
    main()
