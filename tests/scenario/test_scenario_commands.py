"""`ttx validate`, `ttx schema` and `ttx new` through the real Typer app and the real executable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from simulator.scenario.json_schema import SCHEMA_PATH, render_json_schema
from tui.cli import app

DATA = Path(__file__).parent.parent / "data"
FULL = DATA / "valid" / "full.yaml"
BAD = DATA / "bad"
runner = CliRunner()


def test_validate_ok_files() -> None:
    minimal = DATA / "valid" / "minimal.yaml"
    result = runner.invoke(app, ["validate", str(FULL), str(minimal)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{FULL}: ok\n{minimal}: ok\n"


def test_validate_errors_one_per_line_and_exit_1(tmp_path: Path) -> None:
    missing = tmp_path / "absent.yaml"
    result = runner.invoke(app, ["validate", str(BAD / "dangling_id.yaml"), str(missing)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{BAD / 'dangling_id.yaml'}:13:23: error: alert.initial.alliance: unknown level 'hihg'; "
        "did you mean 'high'?",
        f"{BAD / 'dangling_id.yaml'}:23:22: error: injects[1].trigger.after: unknown inject "
        "'openign'; did you mean 'opening'?",
        f"{missing}:0:0: error: file not found",
    ]


def write_with_warning(tmp_path: Path) -> Path:
    path = tmp_path / "warn.yaml"
    text = (DATA / "valid" / "minimal.yaml").read_text()
    path.write_text(text + "  - {id: orphan, title: Never fired}\n")
    return path


def test_warnings_are_printed_and_do_not_fail(tmp_path: Path) -> None:
    path = write_with_warning(tmp_path)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{path}:20:10: warning: injects[1].id: inject 'orphan' can never fire: it has no "
        "trigger and no fire_inject effect names it",
        f"{path}: ok",
    ]


def test_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    path = write_with_warning(tmp_path)
    result = runner.invoke(app, ["validate", "--strict", str(path)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:20:10: error: injects[1].id: inject 'orphan' can never fire: it has no "
        "trigger and no fire_inject effect names it",
    ]


def test_validate_json(tmp_path: Path) -> None:
    path = write_with_warning(tmp_path)
    result = runner.invoke(
        app, ["validate", "--json", str(FULL), str(path), str(BAD / "empty.yaml")]
    )
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert [(entry["path"], entry["ok"]) for entry in document] == [
        (str(FULL), True),
        (str(path), True),
        (str(BAD / "empty.yaml"), False),
    ]
    assert document[1]["issues"][0]["severity"] == "warning"
    assert document[2]["issues"] == [
        {
            "path": str(BAD / "empty.yaml"),
            "line": 1,
            "column": 1,
            "severity": "error",
            "message": "the file is empty: expected a YAML mapping",
        }
    ]


POLICIES = DATA / "policies"
SCHEMA_ONLY = "ok (schema only: pass --scenario to check it against a scenario)"
RULE_WARNING = (
    "4:19: {}: decisions.posture.rule: the rule can give 'wait', which is not an option of "
    "'posture', so a run taking that branch stops with an error; its options are hold, reinforce"
)


def test_a_policy_alone_is_checked_against_its_schema() -> None:
    firm, unknown = POLICIES / "firm.yaml", POLICIES / "unknown_ids.yaml"
    result = runner.invoke(app, ["validate", str(firm), str(unknown), str(FULL)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{firm}: {SCHEMA_ONLY}",
        f"{unknown}: {SCHEMA_ONLY}",
        f"{FULL}: ok",
    ]


def test_a_policy_against_its_scenario_reports_unknown_ids_and_rule_results() -> None:
    rule, unknown = POLICIES / "rule_no_option.yaml", POLICIES / "unknown_ids.yaml"
    result = runner.invoke(app, ["validate", "--scenario", str(FULL), str(rule), str(unknown)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{rule}:{RULE_WARNING.format('warning')}",
        f"{rule}: ok",
        f"{unknown}:4:12: error: decisions.postrue: unknown decision 'postrue'; did you mean "
        "'posture'?",
        f"{unknown}:5:12: error: decisions.posture: decision 'posture' has no option 'retreat'",
    ]


def test_strict_turns_a_policy_warning_into_exit_1() -> None:
    rule = POLICIES / "rule_no_option.yaml"
    result = runner.invoke(app, ["validate", "--strict", "--scenario", str(FULL), str(rule)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"{rule}:{RULE_WARNING.format('error')}"]


def test_strict_turns_the_new_scenario_warnings_into_exit_1() -> None:
    path = DATA / "warn" / "schedule_after_end.yaml"
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 0
    result = runner.invoke(app, ["validate", "--strict", str(path)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:22:21: error: chemical_use.schedule.start: the schedule starts at 3d, after "
        "the exercise ends (2d), so it is never evaluated; start it at or before 2d"
    ]


def test_validate_json_says_each_files_kind_and_what_a_policy_was_checked_against() -> None:
    firm, rule = POLICIES / "firm.yaml", POLICIES / "rule_no_option.yaml"
    alone = json.loads(runner.invoke(app, ["validate", "--json", str(firm)]).stdout)
    assert alone == [
        {"path": str(firm), "kind": "policy", "ok": True, "scenario": None, "issues": []}
    ]
    result = runner.invoke(
        app, ["validate", "--json", "--scenario", str(FULL), str(rule), str(FULL)]
    )
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert [(e["path"], e["kind"], e["ok"], e.get("scenario")) for e in document] == [
        (str(rule), "policy", True, str(FULL)),
        (str(FULL), "scenario", True, None),
    ]
    assert document[0]["issues"] == [
        {
            "path": str(rule),
            "line": 4,
            "column": 19,
            "severity": "warning",
            "message": RULE_WARNING.format("warning").split("warning: ", 1)[1],
        }
    ]


def test_a_scenario_that_does_not_load_stops_before_any_policy_is_checked() -> None:
    result = runner.invoke(
        app, ["validate", "--scenario", str(BAD / "empty.yaml"), str(POLICIES / "firm.yaml")]
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"{BAD / 'empty.yaml'}:1:1: error: the file is empty: expected a YAML mapping\n"
    )


def test_schema_prints_the_checked_in_schema(tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert result.stdout == render_json_schema()
    target = tmp_path / "schema.json"
    result = runner.invoke(app, ["schema", "-o", str(target)])
    assert result.exit_code == 0
    assert target.read_text() == SCHEMA_PATH.read_text()


def test_new_writes_a_skeleton_that_validates_strictly(tmp_path: Path) -> None:
    result = runner.invoke(app, ["new", "harbour-watch", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = tmp_path / "harbour-watch.yaml"
    assert runner.invoke(app, ["validate", "--strict", str(written)]).exit_code == 0
    first = written.read_text().splitlines()[0]
    reference = first.removeprefix("# yaml-language-server: $schema=")
    assert (tmp_path / reference).resolve() == SCHEMA_PATH.resolve()


def test_new_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    assert runner.invoke(app, ["new", "drill", "--dir", str(tmp_path)]).exit_code == 0
    (tmp_path / "drill.yaml").write_text("mine\n")
    refused = runner.invoke(app, ["new", "drill", "--dir", str(tmp_path)])
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"ttx: error: {tmp_path / 'drill.yaml'} already exists; use --force to overwrite it\n"
    )
    assert (tmp_path / "drill.yaml").read_text() == "mine\n"
    forced = runner.invoke(app, ["new", "drill", "--dir", str(tmp_path), "--force"])
    assert forced.exit_code == 0
    assert (tmp_path / "drill.yaml").read_text().startswith("# yaml-language-server")


def test_new_rejects_a_name_that_is_not_an_id(tmp_path: Path) -> None:
    result = runner.invoke(app, ["new", "Bad Name", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("ttx: error: invalid scenario name 'Bad Name'")
    assert list(tmp_path.iterdir()) == []


def ttx_command() -> list[str]:
    # The console script installed next to this interpreter: the real entry point, `main()`.
    executable = Path(sys.executable).parent / "ttx"
    assert executable.exists(), executable
    return [str(executable)]


def test_real_executable_exit_codes_and_no_traceback() -> None:
    bad = subprocess.run(
        [*ttx_command(), "validate", str(BAD / "python_tag.yaml"), str(BAD / "alias_bomb.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 1
    assert "Traceback" not in bad.stdout + bad.stderr
    assert len(bad.stdout.splitlines()) == 2
    good = subprocess.run(
        [*ttx_command(), "validate", str(FULL)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (good.returncode, good.stdout) == (0, f"{FULL}: ok\n")


def test_real_executable_checks_the_shipped_policies_strictly_against_their_scenario() -> None:
    shipped = Path(__file__).parents[2] / "scenarios"
    policies = sorted((shipped / "policies").glob("*.yaml"))
    done = subprocess.run(
        [
            *ttx_command(),
            "validate",
            "--strict",
            "--scenario",
            str(shipped / "eastern-flank.yaml"),
            *map(str, policies),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == [f"{policy}: ok" for policy in policies]
