"""The stylesheet writes a body's paragraphs exactly as the Python writer does, or refuses.

:class:`crawler.parsing.body_stylesheet.ParagraphStylesheet` (libxml2 walks the tree, Python
cuts the text at marker characters) must give the plain writer's paragraphs for every body it
writes, and refuse (``BodyNotWritten``) what it cannot write: a ``<pre>``, a class that may
name boilerplate, text holding the marker. Checked on generated trees of every kind of node
the rules tell apart, on generated ``<br>``-line bodies (the shape it is used for), and on the
bodies of the fixture and stress pages.
"""

from __future__ import annotations

import sys

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml.html import HtmlElement

from crawler.parsing import body as body_module
from crawler.parsing.body_stylesheet import BodyNotWritten
from tests.test_parsing_body_writer import _bodies, _markup, plain_body_paragraphs

_STYLESHEET = body_module._STYLESHEET  # noqa: SLF001 - the writer's rules, compiled


def _body(markup: str) -> HtmlElement:
    root = lxml.html.document_fromstring(f"<html><body><div id='b'>{markup}</div></body></html>")
    return root.get_element_by_id("b")


def _written_or_refused(body: HtmlElement) -> bool:
    """Assert the stylesheet gives the plain writer's paragraphs; False when it refused."""
    before = etree.tostring(body)
    try:
        paragraphs = _STYLESHEET.paragraphs(body)
    except BodyNotWritten:
        return False
    assert paragraphs == plain_body_paragraphs(body)
    assert etree.tostring(body) == before  # the tree is not modified
    return True


@settings(max_examples=800, deadline=None)
@given(_markup())
def test_generated_bodies_are_written_as_the_plain_writer_writes_them(markup: str) -> None:
    _written_or_refused(_body(markup))


_LINE_TEXTS = st.sampled_from(
    ["", " ", "\n", "word", "two  words", " lead", "trail\n", "é—’", "a\tb", "\xa0x\xa0",
     "\u3000", "x\u2028y", "q\u200bq", "\r", "\x0c", "\x1f"]
)  # fmt: skip
_LINE_PARTS = st.sampled_from(
    ["<br>", "<br/>", "<br />\n", "<b>bold</b>", "<i> </i>", "<span>a<br>b</span>", "<p>p</p>",
     "<div><br></div>", "<!-- c -->", "<script>x</script>", "<td>c</td>", "<a href='#'>l</a>",
     "<ul><li>i</li></ul>", "<div class='x y'>d</div>", "<o:p></o:p>",
     "<form>f<br>g</form>", "<select><option>o</option></select>", "<input value='v'>"]
)  # fmt: skip


@settings(max_examples=800, deadline=None)
@given(st.lists(st.tuples(_LINE_TEXTS, _LINE_PARTS), max_size=25))
def test_generated_line_bodies_are_written_as_the_plain_writer_writes_them(
    parts: list[tuple[str, str]],
) -> None:
    markup = "".join(text + part for text, part in parts)
    assert _written_or_refused(_body(markup))  # nothing here needs refusing


def test_every_page_body_is_written_as_the_plain_writer_writes_it() -> None:
    written = sum(_written_or_refused(body) for body in _bodies())
    assert written > 30  # noqa: PLR2004 - most page bodies have no <pre> nor boilerplate


@pytest.mark.parametrize(
    "markup",
    [
        "<p>code</p><pre>a\n  b</pre>",
        "<p>post</p><div class='blogger-post-footer'>footer</div>",
        "<p>post</p><ins class='adsbygoogle'></ins>",
        "<p>a jump-link-ish class</p><span class='my-jump-link-x'>x</span>",
        "<p>text holding the marker \x7f</p>",
        "<p>a marker by reference &#127;</p>",
    ],
)
def test_what_the_stylesheet_cannot_write_is_refused_and_written_by_python(markup: str) -> None:
    body = _body(markup)
    with pytest.raises(BodyNotWritten):
        _STYLESHEET.paragraphs(body)
    assert body_module.body_paragraphs(body) == plain_body_paragraphs(body)


def test_the_body_element_itself_is_written_whatever_its_tag() -> None:
    root = lxml.html.document_fromstring(
        "<html><body><noscript id='n'><p>one</p>two<br>three</noscript></body></html>"
    )
    body = root.get_element_by_id("n")
    assert _STYLESHEET.paragraphs(body) == plain_body_paragraphs(body) == ["one", "two\nthree"]


def test_bodies_of_many_br_lines_go_through_the_stylesheet(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = "".join(f"line {n}<br>" + ("<br>" if n % 3 == 0 else "") for n in range(200))
    few = _body("one<br>two<br>three")

    def refuse(body: HtmlElement) -> list[str]:
        raise AssertionError("the Python writer was asked")

    expected = plain_body_paragraphs(_body(lines))
    monkeypatch.setattr(body_module, "written_body_paragraphs", refuse)
    assert body_module.body_paragraphs(_body(lines)) == expected
    with pytest.raises(AssertionError, match="Python writer"):
        body_module.body_paragraphs(few)  # a few lines: the writer's own path


def test_threads_write_bodies_each_with_its_own_stylesheet() -> None:
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415 - this test only

    markups = ["".join(f"t{n} line {i}<br>" for i in range(150)) for n in range(8)]

    def written(markup: str) -> list[list[str]]:
        return [body_module.body_paragraphs(_body(markup)) for _ in range(20)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(written, markups))
    for markup, runs in zip(markups, results, strict=True):
        assert runs == [plain_body_paragraphs(_body(markup))] * 20


def test_the_spaced_test_finds_exactly_the_whitespace_but_space_and_newline() -> None:
    # _spaced_only decides that a body's written text is cut on its bytes: right only if it
    # is false for text holding any whitespace character (str.isspace) but " " and "\n".
    from crawler.parsing.body_stylesheet import _spaced_only  # noqa: PLC0415

    for code in range(1, sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:  # noqa: PLR2004 - surrogates: not in libxml2's text
            continue
        char = chr(code)
        expected = not char.isspace() or char in " \n"
        assert _spaced_only(f"a{char}b’“—…".encode()) is expected, hex(code)


_MARKED_PIECES = st.sampled_from(
    ["\x7f", "\x7f\x7f", " ", "  ", "\n", "word", "two words", "é’“", "\x9d", "\u200b", "x\xa0y",
     "\u3000", "\u2003", "\t", "\x1f", "\u1680", "\u205f", "\u2028", "…", "\u00a9"]
)  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(st.lists(_MARKED_PIECES, max_size=30).map("".join))
def test_text_cut_on_its_bytes_is_cut_as_the_text_is(flat: str) -> None:
    from crawler.parsing.body_stylesheet import (  # noqa: PLC0415
        _spaced_only,
        _spaced_paragraphs,
        marked_paragraphs,
    )

    written = flat.encode()
    if _spaced_only(written):
        assert _spaced_paragraphs(written) == marked_paragraphs(flat)
