"""Arguments shared by the commands that open the facilitator console (`play`, `serve`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from simulator.engine.seed_range import MAX_SEED

ScenarioToStart = Annotated[
    Path | None,
    typer.Argument(help="Scenario YAML to start; omit it to pick one.", show_default=False),
]
NewSessionSeed = Annotated[
    int | None,
    typer.Option("--seed", "-s", min=0, max=MAX_SEED, help="Root seed; random when omitted."),
]
