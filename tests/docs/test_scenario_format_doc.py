"""docs/scenario-format.md cannot drift from the models: every field of every model has a row
in its table, the tables match the models' docstrings, and every YAML example behaves as shown.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from ruamel.yaml import YAML

from simulator.scenario.expressions import NAMESPACES, SCALARS
from simulator.scenario.loader import check_scenario

DOCS = Path(__file__).resolve().parents[2] / "docs"
DOC = DOCS / "scenario-format.md"
TEXT = DOC.read_text(encoding="utf-8")
YAML_BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.S | re.M)
EXPECTED_ISSUE = re.compile(r"^# (error|warning): (.+)$")


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("scenario_tables", DOCS / "scenario_tables.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TABLES = _load_generator()
BLOCKS: list[str] = YAML_BLOCK.findall(TEXT)
BASE: dict[str, Any] = YAML(typ="safe").load(BLOCKS[0])


def _table_keys(model_name: str) -> list[str]:
    """The first-column keys of the table marked for `model_name` in the doc."""
    match = re.search(rf"<!-- fields: {model_name} -->\n(.*?)<!-- /fields -->", TEXT, re.S)
    assert match is not None, f"no table for {model_name}"
    return re.findall(r"^\| `([^`]+)` \|", match.group(1), re.M)


def test_every_model_of_the_scenario_tree_has_exactly_one_table() -> None:
    documented = TABLES.documented_models(TEXT)
    assert sorted(documented) == sorted(TABLES.model_tree())
    assert len(documented) == len(set(documented))


@pytest.mark.parametrize("model_name", sorted(TABLES.model_tree()))
def test_every_field_is_a_row_of_its_models_table(model_name: str) -> None:
    model = TABLES.model_tree()[model_name]
    keys = [TABLES.field_name(name, info) for name, info in model.model_fields.items()]
    assert _table_keys(model_name) == keys


def test_the_tables_match_the_models_docstrings() -> None:
    # Fails after a model change until `python docs/scenario_tables.py` is run.
    assert TABLES.refresh(TEXT) == TEXT


def test_every_expression_name_is_in_the_names_table() -> None:
    for scalar in SCALARS:
        assert f"| `{scalar}` |" in TEXT
    for namespace in NAMESPACES:
        assert re.search(rf"^\| `{namespace}\.", TEXT, re.M), namespace


def test_the_first_example_is_a_complete_scenario() -> None:
    assert BLOCKS[0].startswith("# yaml-language-server: $schema=")
    assert BASE["schema_version"] == 1


def _merged(fragment: dict[str, Any]) -> dict[str, Any]:
    """The minimal scenario with a fragment laid over it, as the doc describes."""
    merged = dict(BASE)
    for key, value in fragment.items():
        current = merged.get(key)
        if isinstance(value, list) and isinstance(current, list):
            ids = [item.get("id") for item in value if isinstance(item, dict)]
            kept = [item for item in current if item.get("id") not in ids]
            merged[key] = kept + value
        elif isinstance(value, dict) and isinstance(current, dict):
            merged[key] = {**current, **value}
        else:
            merged[key] = value
    return merged


def _check(block: str, tmp_path: Path) -> list[tuple[str, str]]:
    data = YAML(typ="safe").load(block)
    document = data if "schema_version" in data else _merged(data)
    path = tmp_path / "example.yaml"
    with path.open("w", encoding="utf-8") as stream:
        YAML(typ="safe").dump(document, stream)
    return [(issue.severity, issue.message) for issue in check_scenario(path).issues]


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_every_yaml_example_behaves_as_shown(index: int, tmp_path: Path) -> None:
    block = BLOCKS[index]
    issues = _check(block, tmp_path)
    expected = EXPECTED_ISSUE.match(block.splitlines()[0])
    if expected is None:
        assert issues == []
        return
    severity, message = expected.groups()
    assert any(s == severity and message in m for s, m in issues), issues
    if severity == "warning":
        assert all(s == "warning" for s, _ in issues), issues


def test_the_doc_has_examples_of_every_section() -> None:
    shown = set()
    for block in BLOCKS:
        shown |= set(YAML(typ="safe").load(block))
    assert shown == set(TABLES.model_tree()["Scenario"].model_fields)
