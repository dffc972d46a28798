"""Charts never drop a group silently: every group is drawn, or named on the chart as left out."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from batch_stub import StubWorkload
from matplotlib.text import Text

from simulator.batch.chart_style import MAX_DRAWN_GROUPS, OVERLAID_GROUPS, group_pages
from simulator.batch.executors import SerialExecutor
from simulator.batch.plots import charts
from simulator.batch.results import ResultStore
from simulator.batch.runner import Outcome, Plan, execute

POLICIES = ("a", "b", "c", "d")


def outcome(out: Path, policies: int, points: int) -> Outcome:
    workload = StubWorkload(
        points=tuple(round(0.05 * k, 2) for k in range(1, points + 1)),
        policies=POLICIES[:policies] if policies > 1 else ("default",),
    )
    plan = Plan(12, 3, policies * points, 12)
    return execute(workload, plan, SerialExecutor(), ResultStore(out), {"test": "plots"})


def _family(name: str) -> str:
    """`readiness-fan-groups-4-7.png` and `alert-occupancy-12.png` are pages of one chart."""
    return re.sub(r"(-groups-\d+-\d+|-\d+)?\.png$", "", name)


def _left_out(text: str) -> set[int]:
    """The groups a chart's note names as not drawn (`Not drawn: groups 3, 5–9 of 40`)."""
    found: set[int] = set()
    for spans in re.findall(r"Not drawn: groups? ([\d–, ]+) of \d+", " ".join(text.split())):
        for span in spans.split(","):
            first, _, last = span.strip().partition("–")
            found |= set(range(int(first), int(last or first) + 1))
    return found


@pytest.mark.parametrize(("policies", "points"), [(1, 1), (2, 1), (1, 5), (3, 4), (4, 10)])
def test_every_group_is_drawn_or_named_as_left_out(
    tmp_path: Path, policies: int, points: int
) -> None:
    result = outcome(tmp_path, policies, points)
    groups = result.layout.groups
    texts: dict[str, list[str]] = {}
    for name, figure in charts(result):
        texts.setdefault(_family(name), []).extend(t.get_text() for t in figure.findobj(Text))
    families = ["chem-timing", "alert-occupancy", "readiness-fan"]
    families += ["comparison"] if len(groups) > 1 else []
    assert set(families) <= set(texts)
    for family in families:
        text = "\n".join(texts[family])
        left_out = _left_out(text)
        drawn = {
            k
            for k, group in enumerate(groups)
            if len(groups) == 1 or re.search(re.escape(group.label) + r"(?![0-9])", text)
        }
        assert drawn | left_out == set(range(len(groups))), family
        assert len(left_out) == max(0, len(groups) - MAX_DRAWN_GROUPS), family


def test_pages_hold_a_few_groups_each_and_every_drawn_group_once(tmp_path: Path) -> None:
    result = outcome(tmp_path, 1, 5)
    assert group_pages(result.layout) == [[0, 1, 2], [3, 4]]
    grid = outcome(tmp_path / "grid", 3, 4)
    assert group_pages(grid.layout) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]
    for pages in (group_pages(result.layout), group_pages(grid.layout)):
        assert all(len(page) <= OVERLAID_GROUPS for page in pages)


def test_a_use_on_a_day_boundary_counts_in_the_day_it_ends() -> None:
    # Daily evaluations fall exactly on boundaries: the one at the end instant (day 10 of 10)
    # must not be lumped in with day 9, nor one at 24 h with day 2.
    from simulator.batch.plots import day_bar_centres

    days = np.array([0.0, 0.25, 1.0, 9.0, 9.5, 10.0])
    assert day_bar_centres(days).tolist() == [0.5, 0.5, 0.5, 8.5, 9.5, 9.5]
