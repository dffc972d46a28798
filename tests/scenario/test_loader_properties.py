"""Whatever text it is given, the loader returns a scenario or raises its own error, nothing else."""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.scenario.errors import ScenarioError
from simulator.scenario.loader import check_document, load_scenario_text
from simulator.scenario.yaml_safe import read_yaml

ROOT = Path(__file__).parent.parent.parent
SOURCES = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted(
    (Path(__file__).parent.parent / "data" / "valid").glob("*.yaml")
)
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["36h", "-2h", "2d 6h", "1.5", "low", "high", "at", "when", "true", ""]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


@functools.cache
def source_data(source: Path) -> dict[str, Any]:
    return read_yaml(source).data


def outcome(text: str) -> str:
    try:
        load_scenario_text(text, "p.yaml")
    except ScenarioError as error:
        assert error.issues, "a ScenarioError always carries at least one issue"
        assert all(issue.path == "p.yaml" and issue.line >= 0 for issue in error.issues)
        return "error"
    return "loaded"


@SETTINGS
@given(st.text(max_size=400))
def test_arbitrary_text(text: str) -> None:
    outcome(text)


@SETTINGS
@given(st.binary(max_size=200))
def test_arbitrary_bytes_as_latin1_text(raw: bytes) -> None:
    outcome(raw.decode("latin-1"))


def containers(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every mapping and list in the data, in a stable order."""
    found: list[tuple[Any, ...]] = []
    if isinstance(data, dict):
        found.append(path)
        for key, value in data.items():
            found += containers(value, (*path, key))
    elif isinstance(data, list):
        found.append(path)
        for index, value in enumerate(data):
            found += containers(value, (*path, index))
    return found


def at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def mutate(data: dict[str, Any], draw: st.DataObject) -> dict[str, Any]:
    data = copy.deepcopy(data)
    for _ in range(draw.draw(st.integers(min_value=1, max_value=3))):
        target = at(data, draw.draw(st.sampled_from(containers(data))))
        keys = list(target) if isinstance(target, dict) else list(range(len(target)))
        if not keys:
            continue
        key = draw.draw(st.sampled_from(keys))
        action = draw.draw(st.sampled_from(["delete", "retype", "duplicate", "rename"]))
        if action == "delete":
            del target[key]
        elif action == "retype":
            target[key] = draw.draw(values)
        elif action == "duplicate" and isinstance(target, list):
            target.append(copy.deepcopy(target[key]))
        elif action == "rename" and isinstance(target, dict):
            target[draw.draw(st.text(max_size=10))] = target.pop(key)
    return data


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
@SETTINGS
@given(draw=st.data())
def test_mutated_scenarios(source: Path, draw: st.DataObject) -> None:
    outcome(json.dumps(mutate(source_data(source), draw)))


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
@SETTINGS
@given(draw=st.data())
def test_mutated_lines(source: Path, draw: st.DataObject) -> None:
    lines = source.read_text(encoding="utf-8").splitlines()
    for _ in range(draw.draw(st.integers(min_value=1, max_value=3))):
        index = draw.draw(st.integers(min_value=0, max_value=len(lines) - 1))
        action = draw.draw(st.sampled_from(["delete", "duplicate", "insert", "edit"]))
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "insert":
            lines.insert(index, draw.draw(st.text(max_size=30)))
        else:
            cut = draw.draw(st.integers(min_value=0, max_value=len(lines[index])))
            lines[index] = lines[index][:cut] + draw.draw(st.text(max_size=5))
        if not lines:
            break
    outcome("\n".join(lines) + "\n")


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_sources_load_cleanly(source: Path) -> None:
    check = check_document(read_yaml(source))
    assert check.ok
    assert [str(i) for i in check.issues] == []
