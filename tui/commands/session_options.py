"""Arguments shared by the commands that replay a recorded session (`play --resume`, `report`)."""

from __future__ import annotations

from typing import Annotated

import typer

AllowChanged = Annotated[
    bool,
    typer.Option(
        "--allow-changed",
        help="Replay the session even if the scenario file changed since it was recorded.",
    ),
]
