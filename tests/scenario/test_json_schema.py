"""The checked-in JSON Schema: equal to what the models generate, and true to real scenarios."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from simulator.scenario.json_schema import SCHEMA_PATH, render_json_schema
from simulator.scenario.loader import load_scenario
from simulator.scenario.yaml_safe import read_yaml

ROOT = Path(__file__).parent.parent.parent
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
EXAMPLES = SHIPPED or [Path(__file__).parent.parent / "data" / "valid" / "full.yaml"]


def test_checked_in_schema_matches_the_models() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render_json_schema(), (
        "simulator/scenario/scenario.schema.json is stale; regenerate it with "
        "`ttx schema -o simulator/scenario/scenario.schema.json`"
    )


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_schema_accepts_each_shipped_scenario(path: Path) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(read_yaml(path).data))
    assert [e.message for e in errors] == []


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_scenario_starts_with_the_schema_comment(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    reference = first.removeprefix("# yaml-language-server: $schema=")
    assert (path.parent / reference).resolve() == SCHEMA_PATH.resolve()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_scenario_loads(path: Path) -> None:
    assert load_scenario(path).scenario.meta.id


def test_schema_rejects_what_the_loader_rejects() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    data = read_yaml(Path(__file__).parent.parent / "data" / "bad" / "wrong_type.yaml").data
    assert not jsonschema.Draft202012Validator(schema).is_valid(data)
