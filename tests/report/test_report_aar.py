"""The after-action report: complete, exact, safe to open, and reachable through `ttx report`."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import markupsafe
import numpy as np
import pytest

from simulator.engine.describe import Describer
from simulator.engine.events import AlertChanged, DecisionOpened
from simulator.engine.simulation import Simulation
from simulator.report.aar import TIMELINE_KINDS, Report, build_report
from simulator.report.charts import readiness_chart_png
from simulator.report.html import to_html
from simulator.report.markdown import escape, to_markdown
from simulator.scenario.loader import load_scenario
from simulator.session import JournalError, ScenarioChanged, Session

MINI = Path(__file__).parents[1] / "session" / "data" / "mini_exercise.yaml"
SEED = 11
NOW = dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.UTC)
Quote = Callable[[str], str]
TRICKY_NOTE = 'Chair asked "who leads?" <script>alert(1)</script> | split room & no answer'


@dataclass(frozen=True)
class Played:
    scenario: Path
    journal: Path
    alert_changes: list[tuple[str, str]]
    """(scope name, new level label) of every alert change."""


def _play(directory: Path) -> Played:
    """A full exercise: a choice taken back and redone differently, a deadline default, notes."""
    scenario = directory / "mini.yaml"
    shutil.copy(MINI, scenario)
    journal = directory / "played.ttxsession"
    session = Session.create(journal, load_scenario(scenario), SEED)
    session.sim.run_to_decision()
    session.note("Room waited for the intel update", objective="coordination", inject="buildup")
    session.choose("raise", "hold", note="first instinct")
    session.undo()
    session.choose("raise", "raise", note="after legal advice")
    while (pending := session.sim.run_to_decision()) is not None:
        if "statement" in [p.decision_id for p in session.sim.pending]:
            session.note(TRICKY_NOTE, objective="public_info")
            session.choose("statement", "brief", note="spokesperson briefed")
        else:
            session.sim.run_until(pending.deadline or session.sim.now)
    session.note("Hot wash: alert ownership unclear")
    names = {"alliance": "Harbour Alliance", "westmark": "Westmark"}
    labels = {"normal": "Normal", "elevated": "Elevated", "high": "High"}
    changes = [
        (names[p.scope], labels[p.new])
        for e in session.sim.records
        if isinstance(p := e.payload, AlertChanged)
    ]
    session.close()
    return Played(scenario, journal, changes)


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Played:
    return _play(tmp_path_factory.mktemp("played"))


@pytest.fixture(scope="module")
def report(played: Played) -> Report:
    return build_report(played.journal, now=NOW)


def test_the_report_from_the_journal_equals_the_live_sessions(played: Played) -> None:
    copy = played.journal.with_name("copy.ttxsession")
    shutil.copy(played.journal, copy)
    with Session.resume(copy) as session:
        live = build_report(session, now=NOW)
    from_file = build_report(copy, now=NOW)
    assert live == from_file


def test_decisions_carry_who_chose_timing_and_notes(report: Report) -> None:
    by_id = {row.decision: row for row in report.decisions}
    assert set(by_id) == {"raise", "reinforce", "statement"}
    assert (by_id["raise"].option, by_id["raise"].by, by_id["raise"].note) == (
        "raise",
        "room",
        "after legal advice",
    )
    assert by_id["raise"].wall_taken is not None
    deadline = by_id["reinforce"]
    assert (deadline.by, deadline.option, deadline.wall_taken) == ("deadline", "no", None)
    assert deadline.exercise_taken == pytest.approx(12.0)
    assert [(d.decision, d.option) for d in report.retracted] == [("raise", "hold")]
    assert report.finished and report.played == pytest.approx(72.0)


def test_readiness_series_match_the_engine_at_every_step(
    played: Played, report: Report, tmp_path: Path
) -> None:
    """Oracle: the engine's own readiness, read after each step of an identical replay."""
    compiled = load_scenario(played.scenario)
    sim = Simulation(compiled, SEED, live=True)
    choices = {"raise": "raise", "statement": "brief"}
    checked = 0
    while not sim.finished:
        for pending in sim.pending:
            if pending.decision_id in choices:
                sim.choose(pending.decision_id, choices[pending.decision_id])
        sim.step()
        for series in report.readiness:
            times, values = zip(*series.points, strict=True)
            expected = sim.snapshot().readiness[series.unit]
            assert np.interp(sim.now, times, values) == pytest.approx(expected, abs=1e-9)
            checked += 1
    assert checked > 20
    copy = tmp_path / "copy.ttxsession"
    shutil.copy(played.journal, copy)
    with Session.resume(copy) as resumed:
        assert [e.to_json() for e in sim.records] == [e.to_json() for e in resumed.sim.records]


def _assert_complete(text: str, played: Played, report: Report, quote: Quote) -> None:
    """Every decision, option, note, alert change and evaluation is in `text`, each written
    as `quote` (the format's escaping) writes it."""
    assert quote(report.banner) in text and quote(report.title) in text
    assert report.scenario_hash in text
    for row in report.decisions:
        assert quote(row.title) in text
        assert quote(row.option_label) in text
    for n in report.observations:
        assert quote(n.text) in text
    for scope, level in played.alert_changes:
        assert re.search(rf"{scope} alert: .*→ .*{level}", text), (scope, level)
    for e in report.chem_evaluations:
        assert f"{e.probability:.1%}" in text


def test_markdown_has_every_decision_note_alert_change_and_its_chart(
    played: Played, report: Report, tmp_path: Path
) -> None:
    text = to_markdown(report, tmp_path)
    _assert_complete(text, played, report, escape)
    assert escape(TRICKY_NOTE).count("\\|") == 1
    chart = tmp_path / "played-readiness.png"
    assert f"]({chart.name})" in text
    assert chart.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_every_markdown_table_row_has_its_tables_column_count(
    report: Report, tmp_path: Path
) -> None:
    """Oracle: the column counts of the tables the report has, counted from the report's own
    data (a `|` in a note that split a cell would add a column to that row)."""
    text = to_markdown(report, tmp_path)
    tables: list[list[str]] = []
    previous = ""
    for line in text.splitlines():
        if line.startswith("|"):
            if not previous.startswith("|"):
                tables.append([])
            tables[-1].append(line)
        previous = line
    cells = [[re.split(r"(?<!\\)\|", row)[1:-1] for row in table] for table in tables]
    widths = [[len(row) for row in table] for table in cells]
    expected = {
        "cover": 2,
        "readiness": 4,
        "timeline": 5,
        "decisions": 9,
        "retracted": 5,
        "chemical": 5,
        "objectives": 5,
        "plan": 7,
    }
    rows = {
        "cover": 8,
        "readiness": len(report.readiness),
        "timeline": len(report.timeline),
        "decisions": len(report.decisions),
        "retracted": len(report.retracted),
        "chemical": len(report.chem_evaluations),
        "objectives": len(report.objectives),
        "plan": len(report.observations),
    }
    assert widths == [[expected[name]] * (rows[name] + 2) for name in expected]
    plan = tables[-1][2:]
    assert any(escape(TRICKY_NOTE) in row for row in plan)


def test_html_is_complete_self_contained_and_escaped(played: Played, report: Report) -> None:
    text = to_html(report)
    _assert_complete(text, played, report, lambda s: str(markupsafe.escape(s)))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script" not in text.lower()
    assert re.search(r"""(src|href)\s*=\s*["'](?!data:)""", text) is None
    assert not re.search(r"https?://|url\(|@import|<link", text)
    assert text.count('src="data:image/png;base64,') == 1
    assert text.count(report.banner) >= 3


def test_the_chart_is_a_real_image(report: Report, tmp_path: Path) -> None:
    import matplotlib.image

    path = tmp_path / "chart.png"
    path.write_bytes(readiness_chart_png(report))
    pixels = matplotlib.image.imread(path)
    assert pixels.shape[0] > 800 and pixels.shape[1] > 1400
    assert len({tuple(p) for p in pixels[::40, ::40].reshape(-1, pixels.shape[2])}) > 10


def test_a_report_of_unfinished_play_says_so(tmp_path: Path) -> None:
    path = tmp_path / "half.ttxsession"
    with Session.create(path, load_scenario(MINI), SEED) as session:
        session.sim.run_until(10.0)
        session.checkpoint()
    report = build_report(path, now=NOW)
    assert not report.finished
    assert "Play stopped" in to_html(report)
    assert any(row.chosen_at is None for row in report.decisions)


def test_a_changed_scenario_is_refused_unless_allowed(played: Played, tmp_path: Path) -> None:
    scenario = tmp_path / "mini.yaml"
    shutil.copy(played.scenario, scenario)
    journal = tmp_path / "s.ttxsession"
    shutil.copy(played.journal, journal)
    scenario.write_text(scenario.read_text() + "# edited\n")
    with pytest.raises(ScenarioChanged):
        build_report(journal, scenario_path=scenario)
    allowed = build_report(journal, scenario_path=scenario, allow_changed=True)
    assert allowed.changed_scenario
    assert "Changed since play" in to_html(allowed)


TTX = Path(sys.executable).parent / "ttx"


def _ttx(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(TTX), *args], capture_output=True, text=True, timeout=60)


def test_ttx_report_writes_both_formats(played: Played, tmp_path: Path) -> None:
    done = _ttx("report", str(played.journal), "--format", "md", "-o", str(tmp_path / "aar.md"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tmp_path / "aar.md")
    assert "(aar-readiness.png)" in (tmp_path / "aar.md").read_text()
    assert (tmp_path / "aar-readiness.png").stat().st_size > 10_000
    done = _ttx("report", str(played.journal), "-o", str(tmp_path / "aar.html"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "aar.html").read_text().startswith("<!DOCTYPE html>")


def test_ttx_report_errors_are_one_line(played: Played, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.ttxsession"
    damaged.write_bytes(played.journal.read_bytes()[:5000])
    for args, expected in [
        (["report", str(tmp_path / "missing.ttxsession")], "no such session journal"),
        (["report", str(damaged)], "truncated"),
        (["report", str(played.scenario)], "not a session journal"),
        (["report", str(played.journal), "-o", "/dev/null/aar.html"], "cannot write the report"),
    ]:
        done = _ttx(*args)
        assert done.returncode == 1
        assert done.stderr.startswith("ttx: error: ") and done.stderr.count("\n") == 1, done.stderr
        assert expected in done.stderr
        assert "Traceback" not in done.stderr


def test_journal_errors_reach_build_report(tmp_path: Path) -> None:
    with pytest.raises(JournalError, match="no such session journal"):
        build_report(tmp_path / "nothing.ttxsession")


def test_each_record_has_the_consoles_exercise_time_in_both_formats(
    played: Played, report: Report, tmp_path: Path
) -> None:
    """Oracle: the engine's `Describer` on the replayed records, the words the console shows."""
    copy = tmp_path / "copy.ttxsession"
    shutil.copy(played.journal, copy)
    with Session.resume(copy) as session:
        records = [e for e in session.sim.records if e.kind in TIMELINE_KINDS]
        words = Describer(session.compiled.scenario)
    markdown, html = to_markdown(report, tmp_path), to_html(report)
    assert len(records) == len(report.timeline) > 10
    for event, row in zip(records, report.timeline, strict=True):
        line = words.line(event)
        cells = [line.when, words.calendar(event.time), line.category, line.text, line.detail]
        assert "| " + " | ".join(escape(c) for c in cells) + " |" in markdown
        assert "<td>{}</td><td>{}</td>".format(*cells[:2]) in html
        assert (row.category, row.text, row.detail) == (line.category, line.text, line.detail)
    opened = next(e for e in records if isinstance(e.payload, DecisionOpened))
    assert words.line(opened).when == "D+0 08:00"
    expected = "| D+0 08:00 | 2031-05-01 14:00Z | decision open | Decision open: Raise Westmark's"
    assert expected + " alert? | deadline D+0 14:00 |" in markdown
    assert "<td>D+0 08:00 (2031-05-01 14:00Z)</td>" in re.sub(r"<(?!/?td)[^>]*>", "", html)
