"""The scenario format: Pydantic models, the safe YAML loader and load-time checks.

Import from the submodules (`simulator.scenario.models`, `.errors`, `.loader`, ...): this face
re-exports nothing, so `simulator.scenario.errors` loads without Pydantic and NumPy.
"""
