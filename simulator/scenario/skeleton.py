"""A commented starting scenario for `ttx new`, valid and free of warnings as written."""

from __future__ import annotations

import os
import re
from pathlib import Path
from string import Template

from simulator.scenario.json_schema import SCHEMA_PATH

TEMPLATE_PATH = Path(__file__).with_name("skeleton.yaml.template")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
"""A scenario id (`meta.id`), which is also the file name without `.yaml`."""


def skeleton_text(name: str, directory: Path) -> str:
    """The skeleton for scenario `name`, to be written in `directory`.

    The `$schema` reference is relative to `directory`, so editors find the schema shipped in
    the package wherever the scenario lives.
    """
    if not NAME_PATTERN.match(name):
        raise ValueError(
            f"invalid scenario name {name!r}: use lower-case letters, digits, '_' and '-', "
            "starting with a letter (at most 64)"
        )
    reference = Path(os.path.relpath(SCHEMA_PATH, directory.resolve())).as_posix()
    title = name.replace("-", " ").replace("_", " ").capitalize()
    return Template(TEMPLATE_PATH.read_text(encoding="utf-8")).substitute(
        schema_ref=reference,
        file_name=f"{name}.yaml",
        scenario_id=name,
        title=title,
    )
