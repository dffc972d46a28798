"""The after-action report: rebuilt from a session journal, rendered as Markdown or HTML."""

from simulator.report.aar import Report, build_report
from simulator.report.export import ReportFormat, write_report
from simulator.report.html import to_html
from simulator.report.markdown import to_markdown

__all__ = ["Report", "ReportFormat", "build_report", "to_html", "to_markdown", "write_report"]
