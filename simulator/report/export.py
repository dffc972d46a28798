"""Writing a report to disk in the chosen format: shared by `ttx report` and the hot-wash screen."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from simulator.report.aar import Report
from simulator.report.html import to_html
from simulator.report.markdown import to_markdown

ReportFormat = Literal["md", "html"]


def write_report(report: Report, target: str | Path, report_format: ReportFormat) -> Path:
    """Write `report` to `target` and return the path; Markdown puts its chart PNG beside it
    as `<name>-readiness.png`. Raises OSError when the file cannot be written."""
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    if report_format == "md":
        text = to_markdown(report, path.parent, chart_file=f"{path.stem}-readiness.png")
    else:
        text = to_html(report)
    path.write_text(text, encoding="utf-8")
    return path
