"""The JSON Schema of the scenario format, generated from the models and checked in.

Editors read the checked-in copy (`scenario.schema.json`, shipped inside the package) through the
`yaml-language-server` comment at the top of each scenario, for completion and inline errors.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from simulator.scenario.models import Scenario

SCHEMA_PATH = Path(__file__).with_name("scenario.schema.json")
DIALECT = "https://json-schema.org/draft/2020-12/schema"
TITLE = "cbrn-ttx scenario"


def scenario_json_schema() -> dict[str, Any]:
    """The schema as a mapping: Pydantic's, with the dialect and a title."""
    schema = Scenario.model_json_schema()
    schema["$schema"] = DIALECT
    schema["title"] = TITLE
    return schema


def render_json_schema() -> str:
    """The schema as deterministic text: sorted keys, two-space indent, final newline."""
    return json.dumps(scenario_json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
