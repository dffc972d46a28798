"""The after-action report: rebuilt from a session journal, rendered as Markdown or HTML.

The names imported below load on first use (`simulator.lazy_names`), so the submodules stay
light: `simulator.report.aar` alone loads neither renderer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator import lazy_names

if TYPE_CHECKING:
    from simulator.report.aar import Report, build_report
    from simulator.report.export import ReportFormat, write_report
    from simulator.report.html import to_html
    from simulator.report.markdown import to_markdown

__all__ = ["Report", "ReportFormat", "build_report", "to_html", "to_markdown", "write_report"]

# Hidden from mypy, which would otherwise type every misspelt name as `object`.
if not TYPE_CHECKING:
    __getattr__ = lazy_names(__name__, __file__)
