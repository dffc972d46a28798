"""The after-action report as one self-contained HTML file: inline CSS, the chart embedded as a
base64 PNG, no scripts and no external references, so it can be mailed or archived as is.

The page is the Jinja2 template `templates/report.html`, rendered with autoescape: every text
from the scenario or the journal is untrusted input and is escaped on output, with no caller
having to remember to.
"""

from __future__ import annotations

import base64
from functools import cache

import jinja2

from simulator.report.aar import Report
from simulator.report.charts import readiness_chart_png
from simulator.report.layout import cover_table, footer, sections
from simulator.scenario.palette import CHEMICAL_USE, ink_on


@cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("simulator.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return environment.get_template("report.html")


def to_html(report: Report) -> str:
    """The whole report as one HTML document."""
    return _template().render(
        r=report,
        chem=CHEMICAL_USE,
        ink=ink_on,
        chart=base64.b64encode(readiness_chart_png(report)).decode("ascii"),
        cover=cover_table(report),
        sections=sections(report),
        footer=footer(report),
    )
