"""What every batch chart shares: the exercise banner, margins in inches, and colours.

Figures are built with the object API (`Figure`, never `pyplot`), which renders through Agg
without touching global state, so plotting is safe in notebooks, threads and headless servers.
Every chart carries the scenario's banner (`EXERCISE EXERCISE EXERCISE` for fictional
exercises) at top and bottom, its title, and a footer with the runs, the root seed and the
scenario's hash, so a slide cut from it still says what it is.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import numpy.typing as npt
from matplotlib.figure import Figure

from simulator.batch.runner import Outcome
from simulator.batch.workload import Layout

_NAMED = {
    "green": "#2e7d32",
    "blue": "#1565c0",
    "yellow": "#f9c825",
    "orange": "#ef6c00",
    "red": "#c62828",
    "purple": "#6a1b9a",
    "magenta": "#ad1457",
    "cyan": "#00838f",
    "white": "#eeeeee",
    "grey": "#9e9e9e",
}
_GROUP_COLOURS = ("#1f4e79", "#c55a11", "#548235", "#7030a0", "#bf9000", "#2f5597", "#843c0c")
DPI = 150
MAX_DRAWN_GROUPS = 4


def shown_groups(layout: Layout) -> list[int]:
    """The groups drawn in per-group charts: all if few, else spread over policies and points.

    Time-series charts of more than a handful of groups are unreadable; `series.parquet` and
    `occupancy.parquet` keep every group.
    """
    groups = layout.groups
    if len(groups) <= MAX_DRAWN_GROUPS:
        return list(range(len(groups)))
    policies = list(dict.fromkeys(g.policy for g in groups))[:MAX_DRAWN_GROUPS]
    points = sorted({g.point for g in groups})
    quota = max(1, MAX_DRAWN_GROUPS // len(policies))
    picked = sorted({points[round(i)] for i in np.linspace(0, len(points) - 1, quota)})
    index = {(g.policy, g.point): k for k, g in enumerate(groups)}
    return sorted(index[(policy, point)] for policy in policies for point in picked)


def level_colour(name: str) -> str:
    return _NAMED.get(name, name)


def group_colour(k: int) -> str:
    return _GROUP_COLOURS[k % len(_GROUP_COLOURS)]


def frame(fig: Figure, outcome: Outcome, title: str) -> None:
    """Banner top and bottom, chart title, and a footer saying what was run."""
    info = outcome.layout.info
    banner = str(info.get("banner", "EXERCISE EXERCISE EXERCISE"))
    for y, va in ((0.995, "top"), (0.005, "bottom")):
        fig.text(
            0.5,
            y,
            banner,
            ha="center",
            va=va,
            fontsize=10,
            fontweight="bold",
            color="#b00020",
            family="monospace",
        )
    fig.suptitle(f"{info.get('title', '')}\n{title}", y=0.965, fontsize=12)
    summary = outcome.summary
    footer = (
        f"{summary['runs_per_group']:,} runs per group, {len(outcome.layout.groups)} group(s), "
        f"{summary['failures']} failed · seed {summary['seed']} · "
        f"scenario {str(info.get('source_hash', ''))[:12]}"
    )
    fig.text(
        0.99,
        0.3 / fig.get_figheight(),
        footer,
        ha="right",
        va="bottom",
        fontsize=7,
        color="#555555",
    )


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
