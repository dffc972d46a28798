"""The scenario format: Pydantic models, the safe YAML loader and load-time checks."""

from simulator.scenario.errors import ScenarioError, ScenarioIssue
from simulator.scenario.models import Scenario

__all__ = ["Scenario", "ScenarioError", "ScenarioIssue"]
