"""Small scenarios written inline, compiled without the file loader so engine tests stay plain."""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML

from simulator.scenario.compiled import CompiledScenario, compile_scenario
from simulator.scenario.models import Scenario

BASE = """
schema_version: 1
meta: {id: test, title: Engine test}
clock: {start: 2022-03-23T09:00:00Z, duration: 10d}
actors:
  alliances: [{id: nato, name: NATO, members: [est, pol]}]
  nations: [{id: est, name: Estonia}, {id: pol, name: Poland}]
alert:
  levels:
    - {id: normal, label: Normal, colour: green}
    - {id: elevated, label: Elevated, colour: yellow}
    - {id: high, label: High, colour: orange}
    - {id: maximum, label: Maximum, colour: red}
  initial: {nato: normal, est: normal}
"""


def compile_text(text: str) -> CompiledScenario:
    data: Any = YAML(typ="safe").load(io.StringIO(text))
    compiled, failures = compile_scenario(Scenario.model_validate(data))
    assert not failures, failures
    return compiled


def scenario(extra: str, base: str = BASE) -> CompiledScenario:
    """BASE plus extra top-level sections (YAML text)."""
    return compile_text(base + extra)
