"""`summary.json` and `manifest.json`: the published schemas match the models and the files,
every field is documented, the files read back into equal models, and resuming compares specs
by file contents."""

from __future__ import annotations

import inspect
import json
import math
from pathlib import Path

import jsonschema
import pytest
from pydantic import BaseModel

from simulator.batch import BatchError, load_results, manifest_format, run_batch, summary_format
from simulator.batch.api import same_batch
from simulator.batch.json_schemas import SCHEMAS, render_schema
from simulator.batch.manifest_format import BatchManifest, BatchSpec, PolicyFile, ScenarioFile
from simulator.batch.runner import Progress
from simulator.batch.stats import describe_numeric
from simulator.batch.summary_format import BatchSummary

COIN = Path(__file__).parent / "data" / "coin.yaml"
CHOICE = Path(__file__).parent / "data" / "choice.yaml"
POLICIES = [Path(__file__).parent / "data" / name for name in ("calm.yaml", "push.yaml")]


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small finished batch with two courses of action (so there are comparisons)."""
    out = tmp_path_factory.mktemp("formats")
    run_batch(CHOICE, runs=40, seed=3, policies=POLICIES, out=out, plots=False)
    return out


def _schema(name: str) -> dict[str, object]:
    (path,) = [p for p in SCHEMAS if p.name == name]
    loaded: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


@pytest.mark.parametrize("path", list(SCHEMAS), ids=lambda p: p.name)
def test_checked_in_schema_matches_the_models(path: Path) -> None:
    model, title = SCHEMAS[path]
    assert path.read_text(encoding="utf-8") == render_schema(model, title), (
        f"simulator/batch/{path.name} is stale; regenerate it with "
        "`python -m simulator.batch.json_schemas`"
    )


@pytest.mark.parametrize("path", list(SCHEMAS), ids=lambda p: p.name)
def test_schema_is_a_valid_draft_2020_12_schema(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_field_of_the_files_is_documented() -> None:
    undocumented = [
        f"{model.__name__}.{name}"
        for module in (summary_format, manifest_format)
        for model in vars(module).values()
        if inspect.isclass(model) and issubclass(model, BaseModel)
        if model.__module__ == module.__name__
        for name, field in model.model_fields.items()
        if not field.description
    ]
    assert undocumented == []


@pytest.mark.parametrize(
    ("name", "schema"),
    [("summary.json", "summary.schema.json"), ("manifest.json", "manifest.schema.json")],
)
def test_written_files_satisfy_their_published_schema(
    batch_dir: Path, name: str, schema: str
) -> None:
    document = json.loads((batch_dir / name).read_text(encoding="utf-8"))
    errors = jsonschema.Draft202012Validator(_schema(schema)).iter_errors(document)
    assert [f"{list(e.absolute_path)}: {e.message}" for e in errors] == []


def test_the_schema_rejects_a_summary_with_a_field_of_the_wrong_type(batch_dir: Path) -> None:
    document = json.loads((batch_dir / "summary.json").read_text(encoding="utf-8"))
    document["metrics"]["chem_used"][0]["ci95"] = "narrow"
    validator = jsonschema.Draft202012Validator(_schema("summary.schema.json"))
    assert not validator.is_valid(document)


def test_files_read_back_into_the_models_they_were_written_from(batch_dir: Path) -> None:
    result = load_results(batch_dir)
    text = (batch_dir / "summary.json").read_text(encoding="utf-8")
    assert result.summary == BatchSummary.model_validate(json.loads(text))
    assert result.summary.comparisons[0].metrics["chem_used"].method.startswith("Newcombe")
    assert result.manifest.arguments.policies == [str(p) for p in POLICIES]
    assert isinstance(result.manifest, BatchManifest)


def test_files_keep_the_key_names_scripts_read(batch_dir: Path) -> None:
    summary = json.loads((batch_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["format"] == "ttx-batch-summary/1"
    assert set(summary["metrics"]["chem_used"][0]) == {
        "kind", "n", "missing", "successes", "proportion", "ci95",
    }  # fmt: skip
    used = summary["comparisons"][0]["metrics"]["chem_used"]
    assert {"difference", "ci95", "p_value", "p_holm", "significant_holm", "discordant"} <= set(
        used
    )
    manifest = json.loads((batch_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "ttx-batch-manifest/1"
    assert {"seed", "runs", "packages", "arguments", "files", "wall_seconds"} <= set(manifest)


def test_a_metric_without_finite_values_has_null_statistics_not_nan() -> None:
    written = describe_numeric([math.nan, math.nan]).model_dump(mode="json")
    assert written["missing"] == 2
    assert {key: written[key] for key in ("mean", "sd", "min", "max", "quantiles", "ci95")} == (
        dict.fromkeys(("mean", "sd", "min", "max", "quantiles", "ci95"))
    )


def test_a_directory_in_another_format_is_refused_in_one_line(
    batch_dir: Path, tmp_path: Path
) -> None:
    for name in ("summary.json", "manifest.json"):
        (tmp_path / name).write_bytes((batch_dir / name).read_bytes())
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    summary["format"] = "ttx-batch-summary/0"
    (tmp_path / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    with pytest.raises(BatchError) as caught:
        load_results(tmp_path)
    assert "not a batch this version can read" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_missing_directory_is_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(BatchError, match="cannot read batch results"):
        load_results(tmp_path / "nowhere")


def _spec(scenario_path: str, policy_path: str, sha: str = "ab") -> dict[str, object]:
    spec = BatchSpec(
        scenario=ScenarioFile(path=scenario_path, sha256=sha),
        policies=[PolicyFile(name="calm", sha256="cd", path=policy_path)],
        sets=[],
        sweeps=[],
        grid_hours=[0.0, 12.0],
        runs=10,
        seed=1,
    )
    return spec.model_dump(mode="json")


def test_resuming_compares_file_contents_not_path_spellings() -> None:
    stored = _spec("scenarios/x.yaml", "p/calm.yaml")
    assert same_batch(stored, _spec("./scenarios/../scenarios/x.yaml", "/abs/p/calm.yaml"))
    assert not same_batch(stored, _spec("scenarios/x.yaml", "p/calm.yaml", sha="ef"))
    assert not same_batch({"scenario": "from an older version"}, stored)


@pytest.mark.parametrize("damage", ["{", '{"format": "ttx-batch-progress/2", "chunks": "many"}'])
def test_a_damaged_progress_record_is_refused_in_one_line(tmp_path: Path, damage: str) -> None:
    def stop(progress: Progress) -> None:
        if progress.chunks_done >= 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(CHOICE, runs=20, chunk_size=5, out=tmp_path, plots=False, progress=stop)
    (tmp_path / "progress.json").write_text(damage, encoding="utf-8")
    with pytest.raises(BatchError, match="unreadable progress record") as caught:
        run_batch(CHOICE, runs=20, chunk_size=5, out=tmp_path, plots=False, resume=True)
    assert "\n" not in str(caught.value)
