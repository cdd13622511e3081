"""The body splitter's inlined paths write exactly what the plain element-by-element writer does.

:func:`crawler.parsing.body.body_paragraphs` decides ``<br>``, childless blocks and blank
tails inside its child loop instead of through one call per element and per text. The plain
writer it replaced is kept here as the definition; both must give the same paragraphs for
every body: the fixture pages', the stress pages' and generated trees of every kind of node
the rules tell apart (blocks, cells, ``<pre>``, skipped tags, boilerplate classes, ``<br>``
runs, blank and multi-line text).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml.html import HtmlElement

from benchmarks.stress_pages import stress_pages
from crawler.parsing import NotAPostError, UnreadablePageError, parse_page
from crawler.parsing import body as body_module
from crawler.parsing.body import (
    _BLOCK_TAGS,
    _CELL_TAGS,
    _SKIPPED_TAGS,
    _is_boilerplate,
    body_paragraphs,
)

FIXTURES = Path(__file__).parent / "fixtures"


class _PlainWriter:
    """The writer as defined: one call per element and per text piece."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self._pieces: list[str] = []
        self._breaks = 0

    def flush(self) -> None:
        self._breaks = 0
        if not self._pieces:
            return
        text = "".join(self._pieces)
        self._pieces = []
        lines = (" ".join(line.split()) for line in text.split("\n"))
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            self.paragraphs.append(paragraph)

    def text(self, value: str | None) -> None:
        if not value:
            return
        if value.isspace():
            if self._pieces:
                self._pieces.append(" ")
            return
        if self._breaks >= 2:  # noqa: PLR2004 - two <br> in a row end a paragraph
            self.flush()
        elif self._breaks == 1:
            self._pieces.append("\n")
        self._breaks = 0
        self._pieces.append(value.replace("\n", " "))

    def element(self, element: HtmlElement) -> None:
        tag = element.tag
        if tag == "br":
            if not _is_boilerplate(element):
                self._breaks += 1
            return
        if not isinstance(tag, str) or tag in _SKIPPED_TAGS or _is_boilerplate(element):
            return
        if tag == "pre":
            self.flush()
            self.paragraphs.extend(body_paragraphs_of_pre(element))
            return
        block = tag in _BLOCK_TAGS
        if block:
            self.flush()
        elif tag in _CELL_TAGS:
            self._pieces.append(" ")
        self.children(element)
        if block:
            self.flush()
        elif tag in _CELL_TAGS:
            self._pieces.append(" ")

    def children(self, element: HtmlElement) -> None:
        self.text(element.text)
        for child in element:
            self.element(child)
            self.text(child.tail)


def body_paragraphs_of_pre(element: HtmlElement) -> list[str]:
    """What the module's own ``<pre>`` rule gives (that rule is not inlined)."""
    writer = body_module._ParagraphWriter()
    writer.preformatted(element)
    return writer.paragraphs


def plain_body_paragraphs(body: HtmlElement) -> list[str]:
    writer = _PlainWriter()
    writer.children(body)
    writer.flush()
    return writer.paragraphs


def _bodies() -> list[HtmlElement]:
    bodies: list[HtmlElement] = []
    keep = body_module.body_paragraphs

    def recording(body: HtmlElement) -> list[str]:
        bodies.append(body)
        return keep(body)

    pages = [(p.url, p.body) for p in stress_pages(seed=15)]
    pages += [(str(p), p.read_bytes()) for p in sorted((FIXTURES / "pages").glob("*.html"))]
    import crawler.parsing as parsing  # noqa: PLC0415 - the name parse_page calls

    parsing.body_paragraphs = recording  # type: ignore[attr-defined]
    try:
        for url, data in pages:
            with contextlib.suppress(NotAPostError, UnreadablePageError):
                parse_page(url, data)
    finally:
        parsing.body_paragraphs = keep  # type: ignore[attr-defined]
    return bodies


def test_every_page_body_is_split_as_the_plain_writer_splits_it() -> None:
    bodies = _bodies()
    assert len(bodies) > 40  # noqa: PLR2004 - the stress pages and most fixtures are posts
    for body in bodies:
        assert body_paragraphs(body) == plain_body_paragraphs(body)


_TAGS = ["p", "div", "li", "h2", "td", "pre", "br", "br", "br", "span", "b", "a", "script"]
_TEXTS = st.sampled_from(
    ["", " ", "\n", "  \n ", "word", "two words", "a\nb", " x ", "é—’", "a\tb  c ", "\xa0",
     "&nbsp;x", " \n \n y\u3000z", "\u2028", "q\u200bq", "   "]
)  # fmt: skip


@st.composite
def _markup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = [draw(_TEXTS)]
    for _ in range(draw(st.integers(0, 4 if depth < 3 else 0))):  # noqa: PLR2004 - depth bound
        tag = draw(st.sampled_from(_TAGS))
        boilerplate = draw(st.sampled_from(["", "", " class='jump-link'", " class='x y'"]))
        if tag == "br":
            parts.append(f"<br{boilerplate}>")
        else:
            parts.append(f"<{tag}{boilerplate}>{draw(_markup(depth + 1))}</{tag}>")
        parts.append(draw(_TEXTS))
    return "".join(parts)


@settings(max_examples=500, deadline=None)
@given(_markup())
def test_generated_bodies_are_split_as_the_plain_writer_splits_them(markup: str) -> None:
    root = lxml.html.document_fromstring(f"<html><body><div id='b'>{markup}</div></body></html>")
    body = root.get_element_by_id("b")
    assert body_paragraphs(body) == plain_body_paragraphs(body)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=" \n\x00\t\r\xa0\x85\u2028\u3000\u200bab.", max_size=30))
def test_a_paragraph_collapsed_at_once_is_its_lines_collapsed_one_by_one(text: str) -> None:
    # NUL marks the writer's line breaks; a newline is whitespace of the source.
    expected = "\n".join(
        line for line in (" ".join(line.split()) for line in text.split("\x00")) if line
    )
    assert body_module._collapsed_paragraph(text) == expected
    flat = text.replace("\x00", "")
    assert body_module.collapse_whitespace(flat) == " ".join(flat.split())


_WHITESPACE_TEXT = st.text(
    alphabet=" \n\t\r\x0b\x0c\x1c\x1f\xa0\x85\u1680\u2003\u2028\u2029\u202f\u3000\u200b\xadab.’",
    max_size=40,
)


@settings(max_examples=3000, deadline=None)
@given(_WHITESPACE_TEXT)
def test_whitespace_is_collapsed_as_a_split_and_join_by_words_collapses_it(text: str) -> None:
    # collapse_whitespace squeezes runs of spaces where tabs and no-break spaces are the only
    # other whitespace; the reference is the split by words it replaces.
    assert body_module.collapse_whitespace(text) == " ".join(text.split())


@settings(max_examples=3000, deadline=None)
@given(_WHITESPACE_TEXT)
def test_a_pre_is_collapsed_as_its_lines_word_by_word(text: str) -> None:
    expected = "\n".join(filter(None, [" ".join(line.split()) for line in text.splitlines()]))
    assert body_module._collapsed_preformatted(text) == expected
