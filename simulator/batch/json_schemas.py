"""The JSON Schemas of `summary.json` and `manifest.json`, generated from their models.

The checked-in copies beside this module are what other people's tools validate batch results
against; a test fails when they drift from the models. Regenerate them with
`python -m simulator.batch.json_schemas`.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from simulator.batch.manifest_format import BatchManifest
from simulator.batch.summary_format import BatchSummary
from simulator.scenario.json_schema import DIALECT

HERE = Path(__file__).parent
SCHEMAS: dict[Path, tuple[type[BaseModel], str]] = {
    HERE / "summary.schema.json": (BatchSummary, "cbrn-ttx batch summary (summary.json)"),
    HERE / "manifest.schema.json": (BatchManifest, "cbrn-ttx batch manifest (manifest.json)"),
}
"""Where each schema is published, its model and its title."""


def render_schema(model: type[BaseModel], title: str) -> str:
    """A model's schema as deterministic text: sorted keys, two-space indent, final newline.

    Generated in serialization mode: the schema describes the files as written, so fields with
    defaults are required, as they are always present.
    """
    schema = model.model_json_schema(mode="serialization")
    schema["$schema"] = DIALECT
    schema["title"] = title
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas() -> list[Path]:
    """Write every published schema; returns the files."""
    for path, (model, title) in SCHEMAS.items():
        path.write_text(render_schema(model, title), encoding="utf-8")
    return list(SCHEMAS)


if __name__ == "__main__":
    for written in write_schemas():
        print(f"wrote {written}")
