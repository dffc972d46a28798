"""Plays the mini exercise slowly, journalling as it goes, until the parent test kills it.

Usage: python crash_child.py JOURNAL SEED. Prints `decided N`, `noted TEXT` and `checkpoint` lines
after each durable write, so the parent knows what must survive a SIGKILL.
"""

from __future__ import annotations

import sys
import time

from session_test_play import MINI, ROOM

from simulator.scenario.loader import load_scenario
from simulator.session import Session


def main() -> None:
    journal, seed = sys.argv[1], int(sys.argv[2])
    session = Session.create(journal, load_scenario(MINI), seed)
    decided = 0
    step = 0
    horizon = 0.0
    while not session.sim.finished:
        while session.sim.pending:
            decision = session.sim.pending[0].decision_id
            session.choose(decision, ROOM[decision], note="chosen in the child")
            decided += 1
            print(f"decided {decided}", flush=True)
        horizon += 0.5
        session.sim.run_until(horizon)
        step += 1
        text = f"observation {step} at {session.sim.now:.2f}"
        session.note(text, objective="coordination" if step % 2 else None)
        print(f"noted {text}", flush=True)
        if session.checkpoint():
            print("checkpoint", flush=True)
        time.sleep(0.002)
    print("finished", flush=True)
    time.sleep(60)


if __name__ == "__main__":
    main()
