"""What every batch chart shares: the exercise banner, margins in inches, colours and line
styles, and how groups are spread over pages so that none is dropped.

Figures are built with the object API (`Figure`, never `pyplot`), which renders through Agg
without touching global state, so plotting is safe in notebooks, threads and headless servers.
Every chart carries the scenario's banner (`EXERCISE EXERCISE EXERCISE` for fictional
exercises) at top and bottom, its title, and a footer with the runs, the root seed and the
scenario's hash, so a slide cut from it still says what it is.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from simulator.batch.runner import Outcome
from simulator.batch.workload import Layout
from simulator.scenario.palette import SERIES, WARNING

_LINE_STYLES = ("-", "--", "-.", ":")
DPI = 150
OVERLAID_GROUPS = 4
"""Groups drawn together on one time chart: with more, their bands and steps hide each other,
so more groups are drawn on further pages of the same chart."""
MAX_DRAWN_GROUPS = 32
"""Groups drawn at most (8 pages of 4; a chart each for occupancy; rows of the comparison).
Any further group is named on the chart as not drawn; the parquet files hold every group."""

_CHARACTERS_PER_INCH = 13
"""Of 8-point text, with room to spare: where a note is wrapped."""


def drawn_groups(layout: Layout) -> tuple[list[int], list[int]]:
    """The groups the per-group charts draw, and those they leave out (named on the charts)."""
    every = list(range(len(layout.groups)))
    return every[:MAX_DRAWN_GROUPS], every[MAX_DRAWN_GROUPS:]


def group_pages(layout: Layout) -> list[list[int]]:
    """The drawn groups cut into pages of at most `OVERLAID_GROUPS`, every one on some page.

    A course of action's sweep points share a page when they fit on one (groups are ordered
    policy-major); otherwise the pages are as even as they can be, so five groups make pages
    of three and two rather than four and one.
    """
    drawn, _ = drawn_groups(layout)
    points = len({g.point for g in layout.groups})
    if len(drawn) <= OVERLAID_GROUPS:
        return [drawn]
    if 2 <= points <= OVERLAID_GROUPS:
        return [drawn[k : k + points] for k in range(0, len(drawn), points)]
    count = math.ceil(len(drawn) / OVERLAID_GROUPS)
    size = math.ceil(len(drawn) / count)
    return [drawn[k : k + size] for k in range(0, len(drawn), size)]


def page_name(stem: str, page: list[int], pages: int) -> str:
    """`stem.png` for a single page, else `stem-groups-A-B.png` (the `group` column's numbers)."""
    return f"{stem}.png" if pages == 1 else f"{stem}-groups-{page[0]}-{page[-1]}.png"


def page_title(layout: Layout, page: list[int], pages: int) -> str:
    """What a page of a paged chart holds, for its title ("" when it holds every group)."""
    if pages == 1:
        return ""
    span = f"group {page[0]}" if len(page) == 1 else f"groups {page[0]}–{page[-1]}"
    return f" — {span} of {len(layout.groups)}"


def _spans(indexes: list[int]) -> str:
    """`3, 5–9`: consecutive indexes as ranges."""
    runs: list[list[int]] = []
    for k in indexes:
        if runs and runs[-1][-1] == k - 1:
            runs[-1].append(k)
        else:
            runs.append([k])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def left_out_note(layout: Layout, left_out: list[int]) -> str:
    """The caption of a chart that could not hold every group: which, why, and where they are."""
    if not left_out:
        return ""
    return (
        f"Not drawn: group{'s' if len(left_out) > 1 else ''} {_spans(left_out)} of "
        f"{len(layout.groups)} (these charts hold at most {MAX_DRAWN_GROUPS} groups); "
        "series.parquet, occupancy.parquet and summary.json hold every group."
    )


def group_colour(k: int) -> str:
    return SERIES[k % len(SERIES)]


def group_line(k: int) -> str:
    """Line style of the k-th line: solid for the first colours, then dashed, dotted, ..."""
    return _LINE_STYLES[(k // len(SERIES)) % len(_LINE_STYLES)]


def overlay_style(position: int, count: int) -> dict[str, str | float]:
    """Colour, style and width of the `position`-th of `count` overlaid lines.

    Groups often coincide (a sweep that does not move a unit's readiness): the later, thinner
    and dashed lines then run along the earlier, thicker ones, so every group stays visible
    instead of the last one drawn hiding the rest.
    """
    if count == 1:
        return {"color": group_colour(0), "linestyle": "-", "linewidth": 1.8}
    width = 3.0 - 1.8 * position / max(1, count - 1)
    style = _LINE_STYLES[position % len(_LINE_STYLES)]
    return {"color": group_colour(position), "linestyle": style, "linewidth": width}


def finish_panels(axes: npt.NDArray[np.object_], used: int, xlabel: str) -> None:
    """Hide the panels of a grid past the first `used` and label the bottom row's x axes."""
    for axis in axes.flat[used:]:
        axis.set_visible(False)
    for axis in axes[-1, :]:
        axis.set_xlabel(xlabel)


def side_legend(
    fig: Figure,
    handles: Sequence[Artist],
    labels: Sequence[str],
    title: str,
    handlelength: float | None = None,
) -> None:
    """The figure's legend in its right margin, level with the top of the first row of panels
    (over the panels it would hide a panel's title)."""
    fig.legend(
        handles,
        labels,
        loc="upper right",
        fontsize=8,
        title=title,
        title_fontsize=8,
        handlelength=handlelength,
        bbox_to_anchor=(0.995, 1 - 1.15 / fig.get_figheight()),
    )


def legend_headroom(axis: Axes, rows: int, axes_height: float) -> None:
    """Raise the top of the y axis so a legend of `rows` lines at the top stays clear of data."""
    share = min(0.6, (0.17 * rows + 0.15) / axes_height)
    low, high = axis.get_ylim()
    axis.set_ylim(low, low + (high - low) / (1 - share))


def frame(fig: Figure, outcome: Outcome, title: str, note: str = "") -> float:
    """Banner top and bottom, chart title, a footer saying what was run, and an optional note
    (groups the chart could not hold) above the footer. Placed in inches, so tall charts keep
    them in place. Returns the inches the note needs: the caller adds them to its bottom margin.
    """
    info = outcome.layout.info
    height = fig.get_figheight()
    for y, va in ((1 - 0.04 / height, "top"), (0.04 / height, "bottom")):
        fig.text(
            0.5,
            y,
            info.banner,
            ha="center",
            va=va,
            fontsize=10,
            fontweight="bold",
            color=WARNING,
            family="monospace",
        )
    fig.suptitle(f"{info.title}\n{title}", y=1 - 0.3 / height, va="top", fontsize=12)
    summary = outcome.summary
    footer = (
        f"{summary.runs_per_group:,} runs per group, {len(outcome.layout.groups)} group(s), "
        f"{summary.failures} failed · seed {summary.seed} · scenario {info.source_hash[:12]}"
    )
    fig.text(0.99, 0.3 / height, footer, ha="right", va="bottom", fontsize=7, color="#555555")
    if not note:
        return 0.0
    lines = textwrap.wrap(note, width=int(fig.get_figwidth() * _CHARACTERS_PER_INCH))
    fig.text(
        0.01, 0.47 / height, "\n".join(lines), ha="left", va="bottom", fontsize=8, color=WARNING
    )
    return 0.15 * len(lines) + 0.1


def save(fig: Figure, path: Path) -> Path:
    fig.savefig(path, dpi=DPI, metadata={"Software": None})
    return path


def margins(
    fig: Figure,
    *,
    top: float,
    bottom: float,
    left: float,
    right: float,
    hspace: float = 0.4,
    wspace: float = 0.2,
) -> None:
    """Place the axes grid with margins given in inches, whatever the figure size."""
    width, height = fig.get_figwidth(), fig.get_figheight()
    fig.subplots_adjust(
        top=1 - top / height,
        bottom=bottom / height,
        left=left / width,
        right=1 - right / width,
        hspace=hspace,
        wspace=wspace,
    )


def grid_shape(count: int, columns: int) -> tuple[int, int]:
    cols = min(columns, count)
    return math.ceil(count / cols), cols


def to_days(hours: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return hours / 24.0
