"""Arguments shared by the commands that run the model headless (`run`, `batch`)."""

from __future__ import annotations

from typing import Annotated

import typer

Overrides = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="PATH=VALUE",
        help="Override a scenario field, e.g. variables.tension.initial=0.6.",
    ),
]
