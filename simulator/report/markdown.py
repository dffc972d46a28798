"""The after-action report as Markdown, with its chart written as a PNG beside it.

Every text from the scenario or the journal is untrusted: it goes through `escape` (the one
Markdown escaper), so a note can neither add emphasis, links, HTML nor table columns.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

from simulator.report.aar import Report
from simulator.report.charts import readiness_chart_png
from simulator.report.layout import (
    Block,
    Cards,
    Cell,
    Figure,
    Line,
    Mark,
    Paragraph,
    Table,
    cover_table,
    footer,
    sections,
)

_INLINE = re.compile(r"([\\`*_{}\[\]()#|<>~&])")
_LEADING_MARKER = re.compile(r"^( ?)(-+|\+|\d{1,9}\.)(?= |$)")
_SPACE = re.compile(r"\s+")


def escape(text: str) -> str:
    """Plain text as Markdown that renders back to the same text, each run of whitespace made
    one space (one line, so it fits a table cell or a list item).

    Everything that could open emphasis, code, a link, an image, an HTML tag or entity, an
    extension's attributes, or end a table cell is backslash-escaped wherever it stands; what
    only starts a block (a list item, a numbered item, a `---` rule) is escaped at the start,
    where it would act, so dates, numbers and hyphens stay readable in the `.md` itself.
    """
    escaped = _INLINE.sub(r"\\\1", _SPACE.sub(" ", text))
    return _LEADING_MARKER.sub(_neutralise, escaped, count=1)


def _neutralise(marker: re.Match[str]) -> str:
    """`- x` -> `\\- x`, `1. x` -> `1\\. x`: the same text, no longer a list item."""
    space, text = marker[1], marker[2]
    return space + (text[:-1] + "\\." if text.endswith(".") else "\\" + text)


def to_markdown(report: Report, assets_dir: str | Path, *, chart_file: str | None = None) -> str:
    """The report as Markdown; writes the chart PNG into `assets_dir` and links it by name.

    `chart_file` names the PNG (default: `<session>-readiness.png`).
    """
    folder = Path(assets_dir)
    folder.mkdir(parents=True, exist_ok=True)
    chart = chart_file or f"{report.slug}-readiness.png"
    (folder / chart).write_bytes(readiness_chart_png(report))
    out = [f"**{escape(report.banner)}**\n", f"# After-action report: {escape(report.title)}\n"]
    if report.description.strip():
        out.append(escape(report.description) + "\n")
    out.append(_table(cover_table(report)))
    for section in sections(report):
        out.append(f"## {escape(section.title)}\n")
        out += [_block(block, chart) for block in section.blocks]
    out.append(f"---\n\n{_line(footer(report))}\n")
    return "\n".join(out)


def _part(part: str | Mark) -> str:
    if isinstance(part, str):
        return escape(part)
    text = escape(part.text)
    if part.role not in ("strong", "em") or not text.strip():
        return text
    # Emphasis must hug its text: `** x**` would be two literal asterisks.
    mark = "**" if part.role == "strong" else "_"
    return f"{mark}{text.strip()}{mark}"


def _line(line: Line) -> str:
    return "".join(_part(p) for p in line)


def _cell(value: Cell) -> str:
    return "; ".join(_line(line) for line in value)


def _block(block: Block, chart: str) -> str:
    match block:
        case Paragraph(line=line):
            return _line(line) + "\n"
        case Table():
            return _table(block)
        case Cards(cards=cards):
            return "\n".join(f"- **{escape(c.label)}:** {_cell(c.value)}" for c in cards) + "\n"
        case Figure(alt=alt, caption=caption):
            return f"![{escape(alt)}]({quote(chart)})\n\n_{escape(caption)}_\n"


def _table(block: Table) -> str:
    if not block.rows:
        return "_None._\n"
    lines = [
        "| " + " | ".join(escape(h) for h in block.headers) + " |",
        "|" + "|".join("---" for _ in block.headers) + "|",
    ]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
    return "\n".join(lines) + "\n"
