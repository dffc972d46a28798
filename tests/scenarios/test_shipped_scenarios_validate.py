"""Every shipped scenario loads cleanly, stays labelled as an exercise, keeps to the content rules
and plays as its author tuned it."""

from __future__ import annotations

import re
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from simulator.engine.replication import run_replication
from simulator.scenario.compiled import CompiledScenario
from simulator.scenario.loader import check_scenario, load_scenario
from simulator.scenario.models import DEFAULT_BANNER, Scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
SHIPPED = sorted(SCENARIOS.glob("*.yaml"))
SCHEMA_COMMENT = "# yaml-language-server: $schema=../simulator/scenario/scenario.schema.json"

# Terms that would turn an abstract political-military event into technical detail. Matched as
# whole words, case-insensitively, against the whole file (comments included).
DENIED_TERMS = (
    "sarin",
    "soman",
    "tabun",
    "cyclosarin",
    "vx",
    "novichok",
    "mustard",
    "lewisite",
    "chlorine",
    "phosgene",
    "ricin",
    "anthrax",
    "nerve agent",
    "blister agent",
    "choking agent",
    "chemical agent",
    "biological agent",
    "toxicity",
    "toxin",
    "lethal dose",
    "ld50",
    "lct50",
    "dispersion",
    "dispersal",
    "aerosol",
    "plume",
    "vapour",
    "vapor",
    "synthesis",
    "synthesise",
    "synthesize",
    "precursor",
    "weaponise",
    "weaponize",
    "munition",
    "warhead",
)
_DENIED = re.compile(r"\b(" + "|".join(re.escape(t) for t in DENIED_TERMS) + r")\b", re.I)


def denied_terms(text: str) -> list[str]:
    """The deny-listed terms found in `text`, lower-cased, in order of appearance."""
    return [m.group(0).lower() for m in _DENIED.finditer(text)]


def test_the_three_shipped_scenarios_are_present() -> None:
    names = {p.stem for p in SHIPPED}
    assert {"tutorial", "eastern-flank", "reserve-mobilisation"} <= names


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_loads_with_no_errors_and_no_warnings(path: Path) -> None:
    check = check_scenario(path)
    assert [str(issue) for issue in check.issues] == []
    assert check.ok


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_starts_with_the_schema_comment(path: Path) -> None:
    assert path.read_text(encoding="utf-8").splitlines()[0] == SCHEMA_COMMENT
    schema = SCHEMA_COMMENT.partition("$schema=")[2]
    assert (path.parent / schema).resolve().is_file()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_keeps_the_exercise_banner_and_its_file_name_as_id(path: Path) -> None:
    meta = load_scenario(path).scenario.meta
    assert meta.banner == DEFAULT_BANNER
    assert meta.id == path.stem


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_uses_no_denied_technical_terms(path: Path) -> None:
    assert denied_terms(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Reports of a Sarin attack", ["sarin"]),
        ("the plume drifted", ["plume"]),
        ("LD50 and toxicity data", ["ld50", "toxicity"]),
        ("Protective equipment and medical supplies", []),
        ("the national cyber agency", []),
    ],
)
def test_the_deny_list_matches_whole_words_only(text: str, found: list[str]) -> None:
    assert denied_terms(text) == found


def _model_classes(hint: Any) -> set[type[BaseModel]]:
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return {hint}
    return {m for arg in typing.get_args(hint) for m in _model_classes(arg)}


def format_models() -> set[str]:
    """Names of every model in the scenario format: each section, trigger, effect, distribution."""
    found: set[str] = set()
    pending: list[type[BaseModel]] = [Scenario]
    while pending:
        model = pending.pop()
        if model.__name__ not in found:
            found.add(model.__name__)
            for hint in typing.get_type_hints(model, include_extras=True).values():
                pending.extend(_model_classes(hint))
    return found


def models_used(value: Any) -> set[str]:
    """Names of the models instantiated anywhere inside a loaded scenario."""
    if isinstance(value, BaseModel):
        inner = [getattr(value, name) for name in type(value).model_fields]
        return {type(value).__name__}.union(*(models_used(v) for v in inner))
    if isinstance(value, list | tuple):
        return set().union(*(models_used(v) for v in value))
    if isinstance(value, dict):
        return set().union(*(models_used(v) for v in value.values()))
    return set()


def test_the_tutorial_uses_every_feature_of_the_format() -> None:
    # Every trigger kind, effect type, distribution and section appears in the tutorial at least
    # once, so a feature added to the format fails here until the tutorial teaches it.
    tutorial = load_scenario(SCENARIOS / "tutorial.yaml").scenario
    assert format_models() - models_used(tutorial) == set()


def _use_share(compiled: CompiledScenario, runs: int) -> float:
    used = sum(bool(run_replication(compiled, seed).row["chem_used"]) for seed in range(runs))
    return used / runs


@pytest.mark.slow
@pytest.mark.parametrize("name", ["tutorial", "eastern-flank", "reserve-mobilisation"])
def test_the_chemical_branch_is_reachable_but_not_routine(name: str) -> None:
    # The scenarios are tuned so that the consequence branch comes up in a fair share of runs
    # under the default policy: often enough to rehearse, rarely enough to feel like a risk.
    share = _use_share(load_scenario(SCENARIOS / f"{name}.yaml"), runs=200)
    assert 0.10 <= share <= 0.40


@pytest.mark.slow
def test_eastern_flank_plays_its_agenda_over_the_whole_month() -> None:
    compiled = load_scenario(SCENARIOS / "eastern-flank.yaml")
    row = run_replication(compiled, 7).row
    assert row["end_reason"] == "end of exercise time"
    assert isinstance(row["injects_fired"], int) and row["injects_fired"] >= 25
    for decision in ("messaging", "summit_cbrn", "summit_cyber", "peacekeeping", "posture"):
        assert row[f"option.{decision}"] != ""
