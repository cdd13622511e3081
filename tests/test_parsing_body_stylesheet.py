"""The stylesheet writes a body's paragraphs exactly as the Python writer does, or refuses.

:class:`crawler.parsing.body_stylesheet.ParagraphStylesheet` (libxml2 walks the tree, Python
cuts the text at marker characters) must give the plain writer's paragraphs for every body it
writes, and refuse (``BodyNotWritten``) what it cannot write: a class naming boilerplate,
text holding a marker character. Checked on generated trees of every kind of node the rules
tell apart, on generated ``<br>``-line bodies, and on the bodies of the fixture and stress
pages; its cut of marked text is checked against the text cut of the comment readers
(``marked_paragraphs``) and its whitespace against ``str.isspace`` at every code point.
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
from crawler.parsing import body_stylesheet as stylesheet_module
from crawler.parsing.body_stylesheet import BodyNotWritten, marked_paragraphs, written_paragraphs
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
     "<form>f<br>g</form>", "<select><option>o</option></select>", "<input value='v'>",
     "<pre> a \n\n  b<br>c<script>s</script>\td\x0be\u2028f</pre>", "<pre></pre>",
     "<table><tr><td><pre>x</pre></td></tr></table>", "<span class='my-jump-link-x'>j</span>"]
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
        "<p>post</p><div class='blogger-post-footer'>footer</div>",
        "<p>post</p><ins class='x adsbygoogle'></ins>",
        "<p>post</p><div class='a\xa0jump-link'>split at a no-break space</div>",
        "<p>text holding the line marker \x7f</p>",
        "<p>a line marker by reference &#127;</p>",
        "<p>a block marker by reference &#13;</p>",
        "<p>the block marker's stand-in \x01</p>",
        "<p>a pre marker \ufdd0</p>",
        "<p>the other &#xFDD1;</p>",
    ],
)
def test_what_the_stylesheet_cannot_write_is_refused_and_written_by_python(markup: str) -> None:
    body = _body(markup)
    with pytest.raises(BodyNotWritten):
        _STYLESHEET.paragraphs(body)
    assert body_module.body_paragraphs(body) == plain_body_paragraphs(body)


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>code</p><pre>a  = 1\n\n  b<br>c</pre>after", ["code", "a = 1\nb\nc", "after"]),
        ("one<pre> </pre>two", ["one", "two"]),
        ("<p>x</p><span class='my-jump-link-x'>a class holding a name</span>",
         ["x", "a class holding a name"]),
        ("<p>\ufdd2 \uefb7 near the markers</p>", ["\ufdd2 \uefb7 near the markers"]),
    ],
)  # fmt: skip
def test_pre_blocks_and_near_misses_are_written(markup: str, expected: list[str]) -> None:
    body = _body(markup)
    assert _STYLESHEET.paragraphs(body) == plain_body_paragraphs(body) == expected


def test_a_body_libxslt_gives_up_on_is_written_by_python(monkeypatch: pytest.MonkeyPatch) -> None:
    body = _body("<p>paragraph</p>" * 80)
    _, classes, count = _STYLESHEET._tools()  # noqa: SLF001 - the per-thread tools

    def failing(tree: object) -> object:
        raise etree.XSLTApplyError("a limit of libxslt")

    monkeypatch.setattr(_STYLESHEET._threads, "tools", (failing, classes, count))  # noqa: SLF001
    with pytest.raises(BodyNotWritten):
        _STYLESHEET.paragraphs(body)
    assert body_module.body_paragraphs(body) == plain_body_paragraphs(body)


def test_lxml_text_never_holds_the_pre_placeholder() -> None:
    # written_paragraphs stands a NUL for a <pre>: libxml2 keeps no NUL in a text.
    root = lxml.html.document_fromstring(
        b"<html><body><p id='p'>a\x00b&#0;c&#x0;</p></body></html>"
    )
    text = root.get_element_by_id("p").text
    assert text is not None
    assert "\x00" not in text


def test_the_body_element_itself_is_written_whatever_its_tag() -> None:
    root = lxml.html.document_fromstring(
        "<html><body><noscript id='n'><p>one</p>two<br>three</noscript></body></html>"
    )
    body = root.get_element_by_id("n")
    assert _STYLESHEET.paragraphs(body) == plain_body_paragraphs(body) == ["one", "two\nthree"]


def test_bodies_of_many_elements_go_through_the_stylesheet(monkeypatch: pytest.MonkeyPatch) -> None:
    paragraphs = "".join(f"<p>paragraph {n}</p>" for n in range(100))
    lines = "".join(f"line {n}<br>" + ("<br>" if n % 3 == 0 else "") for n in range(100))
    few = _body("<p>one</p>two<br>three")

    def refuse(body: HtmlElement) -> list[str]:
        raise AssertionError("the Python writer was asked")

    expected = [plain_body_paragraphs(_body(paragraphs)), plain_body_paragraphs(_body(lines))]
    monkeypatch.setattr(body_module, "written_body_paragraphs", refuse)
    assert [body_module.body_paragraphs(_body(m)) for m in (paragraphs, lines)] == expected
    with pytest.raises(AssertionError, match="Python writer"):
        body_module.body_paragraphs(few)  # a few elements: the writer's own path


def test_threads_write_bodies_each_with_its_own_stylesheet() -> None:
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415 - this test only

    markups = ["".join(f"t{n} line {i}<br>" for i in range(150)) for n in range(8)]

    def written(markup: str) -> list[list[str]]:
        return [body_module.body_paragraphs(_body(markup)) for _ in range(20)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(written, markups))
    for markup, runs in zip(markups, results, strict=True):
        assert runs == [plain_body_paragraphs(_body(markup))] * 20


def test_every_whitespace_character_and_no_other_is_a_space_of_the_cut() -> None:
    # The cut makes whitespace spaces by a byte translation and a few byte sequences: right
    # only if they are exactly str.isspace's characters (CR aside: a block edge here).
    codes = [
        code
        for code in range(1, sys.maxunicode + 1)
        if not 0xD800 <= code <= 0xDFFF  # noqa: PLR2004 - surrogates: not in libxml2's text
        and chr(code) not in "\r\x7f\x01\ufdd0\ufdd1"
    ]
    lines = [f"a{chr(code)}b’“—…" for code in codes]
    written = "\r".join(lines).encode()
    assert written_paragraphs(written) == [" ".join(line.split()) for line in lines]


_MARKED_PIECES = st.sampled_from(
    ["\x7f", "\x7f\x7f", "\r", " ", "  ", "\n", "word", "two words", "é’“", "\x9d", "\u200b",
     "x\xa0y", "\u3000", "\u2003", "\t", "\x1f", "\u1680", "\u205f", "\u2028", "…", "\u00a9",
     "\x85"]
)  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(st.lists(_MARKED_PIECES, max_size=30).map("".join))
def test_text_marked_by_both_markers_is_cut_as_text_marked_by_del_alone(flat: str) -> None:
    # A block edge (CR) is what two DELs are to the comment readers' cut.
    assert written_paragraphs(flat.encode()) == marked_paragraphs(flat.replace("\r", "\x7f\x7f"))


def _reference_cut(written: bytes) -> list[str]:
    """The cut of marked text as it was written before the seventh round (issue 15): the
    lines joined by newlines and split at two, then at block edges; a paragraph holding a
    double space collapsed line by line, word by word."""
    text = written.translate(stylesheet_module._SPACES)  # noqa: SLF001 - the same translation
    for lead, spaces in stylesheet_module._WIDE_SPACES:  # noqa: SLF001
        if lead in text and spaces.search(text):
            text = spaces.sub(b" ", text)
    doubled = b"  " in text
    if b"\x7f" not in text:
        chunks = text.decode().split("\x01")
    else:
        lines = b"\n".join(map(bytes.strip, text.split(b"\x7f"))).decode()
        chunks = [piece for chunk in lines.split("\n\n") for piece in chunk.split("\x01")]
    paragraphs = [p for p in map(str.strip, chunks) if p]
    if not doubled:
        return paragraphs
    return [
        "\n".join(" ".join(line.split()) for line in p.split("\n")) if "  " in p else p
        for p in paragraphs
    ]


def _reference_preformatted(raw: bytes) -> str:
    """A ``<pre>``'s text as the writer cuts it: ``splitlines``, each line collapsed by words."""
    return "\n".join(filter(None, [" ".join(line.split()) for line in raw.decode().splitlines()]))


_CUT_PIECES = st.sampled_from(
    ["\x7f", "\x7f\x7f", "\x7f \x7f", "\r", "\r\r", " \r ", " ", "  ", "   ", "\n", "\n   ",
     "word", "two words", "é’“", "\x9d", "x\xa0y", ".\xa0 ", "\u3000", "\u2003", "\t", "\x1f",
     "\x0b", "\u2028", "…", "\x85"]
)  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.lists(_CUT_PIECES, max_size=40).map("".join))
def test_the_cut_gives_the_paragraphs_of_the_line_by_line_cut(flat: str) -> None:
    # The cut strips each <br> line once, makes an empty line a block edge (one split cuts
    # at both) and squeezes the spaces of a paragraph holding two in a row.
    written = flat.encode()
    assert stylesheet_module._cut(written) == _reference_cut(written)  # noqa: SLF001


_PRE_PIECES = st.sampled_from(
    ["\n", "\n\n", " ", "  ", "    ", "\t", "\x1f", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e",
     "\x85", "\xa0", "\u2028", "\u2029", "\u2003", "\u3000", "\u200b", "a = 1", "b", "é’—",
     "\x9d", "\u1680", "\u205f"]
)  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PRE_PIECES, max_size=30).map("".join))
def test_a_pre_is_cut_into_the_lines_the_writer_cuts(raw: str) -> None:
    assert stylesheet_module._preformatted(raw.encode()) == _reference_preformatted(raw.encode())  # noqa: SLF001
