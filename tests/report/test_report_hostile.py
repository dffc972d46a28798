"""Untrusted text stays text in both report formats.

Scenario names, titles, labels and the room's notes carry Rich markup, HTML, Markdown, entity
references, bidi overrides and a 10 kB line. Oracles independent of the renderers: the HTML is
parsed with `html.parser` and the Markdown with markdown-it-py (CommonMark plus tables); neither
may hold an element, attribute, link, code span or emphasis that came from the text, and the
text each parser reads back is the original.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from simulator.report.aar import Report, build_report
from simulator.report.html import to_html
from simulator.report.markdown import to_markdown
from simulator.scenario.loader import load_scenario
from simulator.session import Session

MINI = Path(__file__).parents[1] / "session" / "data" / "mini_exercise.yaml"
NOW = dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.UTC)
FRAGMENTS = [
    "[/]",
    "[bold]",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "&lt;",
    "&amp;",
    "&#60;",
    "`",
    "``code``",
    "**x**",
    "_y_",
    "~~z~~",
    "[x](javascript:alert(1))",
    "<https://example.org>",
    "![i](x.png)",
    "\u202e",
    "$x$",
    "| a | b |",
    "\\",
    "# h",
    "- item",
    "1. one",
    "> quote",
    "---",
    "<!-- c -->",
    "{#id}",
]
LONG_LINE = "A" * 10_000
PLACES = {
    "title": ('"Mini exercise: Grey Harbour"', "{}"),
    "alliance": ("name: Harbour Alliance,", "name: {},"),
    "nation": ("name: Westmark }", "name: {} }}"),
    "unit": ("name: Battlegroup Westmark", "name: {}"),
    "inject": ("title: Forces gather across the strait", "title: {}"),
    "decision": ("title: Public statement", "title: {}"),
    "option": ("label: Brief the press", "label: {}"),
    "objective": ("text: Inform the public.,", "text: {},"),
    "description": ("  objectives:\n", "  description: {}\n  objectives:\n"),
}
"""Where each hostile string goes in the mini exercise: (the text there, exactly once; what
replaces it, with the string as a JSON, hence YAML, double-quoted scalar)."""

piece = st.sampled_from(FRAGMENTS) | st.text(
    st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs", "Cc")), max_size=6
)
"""A known hostile fragment or a few characters of the basic plane (the JSON escapes used to
write them into YAML are one code unit each)."""
hostile = st.lists(piece, min_size=1, max_size=5).map("".join).filter(lambda s: s.strip())


def _normal(text: str) -> str:
    return " ".join(text.split())


def _play(directory: Path, texts: dict[str, str], note: str) -> Report:
    source = MINI.read_text(encoding="utf-8")
    for place, (original, replacement) in PLACES.items():
        assert source.count(original) == 1, place
        source = source.replace(original, replacement.format(json.dumps(texts[place])))
    scenario = directory / "hostile.yaml"
    scenario.write_text(source, encoding="utf-8")
    journal = directory / "hostile.ttxsession"
    with Session.create(journal, load_scenario(scenario), 5) as session:
        while (pending := session.sim.run_to_decision()) is not None:
            if "statement" in [p.decision_id for p in session.sim.pending]:
                session.note(note, objective="public_info", inject="buildup")
                session.choose("statement", "brief", note=note)
            else:
                session.sim.run_until(pending.deadline or session.sim.now)
    return build_report(journal, now=NOW)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.texts.append(data)


PAGE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "div", "main", "header", "p", "h1", "h2",
    "section", "table", "thead", "tbody", "tr", "th", "td", "span", "br", "figure", "img",
    "figcaption", "footer",
}  # fmt: skip
"""Every element the report's own template writes."""


def _check_html(page: str, texts: list[str]) -> None:
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert {tag for tag, _ in parser.tags} <= PAGE_TAGS
    images = [dict(attrs) for tag, attrs in parser.tags if tag == "img"]
    assert len(images) == 1 and (images[0]["src"] or "").startswith("data:image/png;base64,")
    for _, attrs in parser.tags:
        assert all(not name.startswith("on") and name != "href" for name, _ in attrs)
        assert all("javascript:" not in (value or "") for _, value in attrs)
    read = [_normal(t) for t in parser.texts]
    for text in texts:
        assert any(_normal(text) in chunk for chunk in read), text


def _inline_text(token: Token) -> str:
    return "".join(
        " " if child.type in ("softbreak", "hardbreak") else child.content
        for child in token.children or []
    )


def _check_markdown(document: str, texts: list[str], emphasised: set[str], title: str) -> None:
    tokens = MarkdownIt("commonmark").enable("table").parse(document)
    block_types = {t.type for t in tokens}
    assert not block_types & {"html_block", "code_block", "fence", "blockquote_open"}
    assert sum(t.type == "heading_open" for t in tokens) == 8
    assert sum(t.type == "bullet_list_open" for t in tokens) == 1
    assert "ordered_list_open" not in block_types
    inline = [t for t in tokens if t.type == "inline"]
    for token in inline:
        children = token.children or []
        kinds = {c.type for c in children}
        assert not kinds & {"link_open", "html_inline", "code_inline", "s_open"}
        depth, spans, current = 0, [], ""
        for child in children:
            if child.type in ("strong_open", "em_open"):
                assert depth == 0, "emphasis nested inside emphasis"
                depth, current = 1, ""
            elif child.type in ("strong_close", "em_close"):
                depth = 0
                spans.append(current)
            elif depth:
                current += child.content
        assert set(spans) <= emphasised | {_normal(t) for t in texts}, spans
    assert sum(c.type == "image" for t in inline for c in t.children or []) == 1
    read = [_normal(_inline_text(t)) for t in inline]
    for text in texts:
        assert any(_normal(text) in chunk for chunk in read), text
    heading = tokens[[t.type for t in tokens].index("heading_open") + 1]
    assert _inline_text(heading) == "After-action report: " + _normal(title)


def _emphasised(document: str) -> set[str]:
    """What a benign report sets in bold or italics: the report's own labels."""
    spans = set()
    for token in MarkdownIt("commonmark").enable("table").parse(document):
        current, inside = "", False
        for child in token.children or []:
            if child.type in ("strong_open", "em_open"):
                current, inside = "", True
            elif child.type in ("strong_close", "em_close"):
                inside = False
                spans.add(current)
            elif inside:
                current += child.content
    return spans


def _benign() -> set[str]:
    with tempfile.TemporaryDirectory() as folder:
        texts = {place: f"Plain {place}" for place in PLACES}
        report = _play(Path(folder), texts, "Plain note.")
        return _emphasised(to_markdown(report, Path(folder)))


BENIGN = _benign()


# Characters DejaVu Sans lacks are drawn as boxes in the chart, with a warning each.
@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
# Each example plays a whole exercise and draws its chart (about a second): no shrinking, which
# would take minutes; the failing example is printed as found.
@settings(max_examples=6, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(st.fixed_dictionaries(dict.fromkeys(PLACES, hostile)), hostile)
@example(
    {place: f"{fragment} {place}" for place, fragment in zip(PLACES, FRAGMENTS, strict=False)},
    "<script>alert(1)</script> [x](javascript:alert(1)) **x** `y` &amp; \u202e | z |",
)
@example(
    {
        **dict.fromkeys(PLACES, "<img src=x onerror=alert(1)> [/] [bold] &lt;"),
        "description": LONG_LINE + " <script>alert(1)</script>",
    },
    LONG_LINE,
)
def test_hostile_text_is_text_in_both_formats(texts: dict[str, str], note: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        report = _play(Path(folder), texts, note)
        document = to_markdown(report, Path(folder))
        page = to_html(report)
    everything = [*texts.values(), note]
    _check_html(page, everything)
    _check_markdown(document, everything, BENIGN, texts["title"])
