"""Page loading's fast paths give what their plain definitions give.

* the encoding decision believes ASCII bytes to be UTF-8 without decoding them: the same codec
  as decoding them would give, for every declaration and byte pattern;
* "empty document" is tested without copying the page: the same bytes count as empty as with
  ``bytes.strip()``;
* the page's own URL reads the CleanEval wrapper only when the head names no usable URL: the
  same URL as reading every candidate, head first;
* a page declared UTF-8 (or undeclared) with non-ASCII bytes is parsed as UTF-8 at once and
  decoded only when libxml2's log does not prove the bytes UTF-8: the same codec, bytes and
  tree as deciding the encoding by a decode first;
* the page's own encoding declaration is searched for only where the lowered 4 KB hold its
  word (``charset``, ``encoding=``): the same codec as searching always.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from crawler.parsing import _WRAPPER_URL, _page_canonical, first_canonical
from crawler.parsing import document as document_module
from crawler.parsing.document import (
    Document,
    UnreadablePageError,
    _parse,
    _parse_past_limits,
    _reject_binary,
    _utf8_bytes,
    _utf8_or_guess,
    decide_encoding,
    declared_encoding,
    load_document,
    python_codec,
    sniff_wide_encoding,
)
from crawler.parsing.head import read_head


def _plain_decide_encoding(body: bytes, content_type: str | None = None) -> str:
    """The decision as first written: every undeclared or UTF-8 page is decoded to test it."""
    declared = declared_encoding(body, content_type)
    if declared is not None and declared != "utf-8":
        return declared
    if declared is None and (wide := sniff_wide_encoding(body)):
        return wide
    return _utf8_or_guess(body)  # the decode that the fast paths spare


_DECLARATIONS = (
    b"",
    b"<meta charset='utf-8'>",
    b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">',
    b"<meta charset=utf-7>",
    b"<meta charset=shift_jis>",
    b"<text id=x encoding=utf8>",
)
_CONTENTS = (
    b"<p>plain ASCII text</p>",
    b"<p>ASCII with a NUL\x00 and controls \x01\x1f</p>" * 3,
    "<p>caf\u00e9 \u201cquoted\u201d \u2014 \u65e5\u672c</p>".encode(),
    "<p>caf\u00e9</p>".encode("cp1252"),
    "<p>mixed caf\u00e9</p>".encode() + "<p>caf\u00e9</p>".encode("cp1252"),
    "<p>\u3053\u3093\u306b\u3061\u306f</p>".encode("shift_jis"),
    "<p>wide ASCII text without a mark, long enough to sniff</p>".encode("utf-16-le"),
    "<p>wide ASCII text without a mark, long enough to sniff</p>".encode("utf-16-be"),
    b"\xef\xbb\xbf<p>BOM then ASCII</p>",
    b"\xff\xfe" + "<p>BOM then UTF-16</p>".encode("utf-16-le"),
    b"",
)
_CONTENT_TYPES = (None, "text/html", "text/html; charset=windows-1251", "text/html; charset=utf-8")


@pytest.mark.parametrize(
    ("declaration", "content", "content_type"),
    list(itertools.product(_DECLARATIONS, _CONTENTS, _CONTENT_TYPES)),
)
def test_the_encoding_decision_equals_the_decoding_one(
    declaration: bytes, content: bytes, content_type: str | None
) -> None:
    body = b"<html><head>" + declaration + b"</head><body>" + content + b"</body></html>"
    for page in (body, content):
        assert decide_encoding(page, content_type) == _plain_decide_encoding(page, content_type)


def test_an_ascii_page_is_read_as_utf8_whatever_its_length() -> None:
    # Past the 4 KB sniffed for a declaration: the bytes alone decide.
    page = b"<html><body>" + b"<p>text</p>" * 2000 + b"</body></html>"
    assert decide_encoding(page) == _plain_decide_encoding(page) == "utf-8"
    assert decide_encoding(page + b"\xe9") == _plain_decide_encoding(page + b"\xe9") == "cp1252"


_SPACES = (b"", b" ", b"\t", b"\n", b"\r", b"\x0b", b"\x0c", b"\x00", b"\x1c", b"\x85", b"\xa0")


@pytest.mark.parametrize("pieces", list(itertools.product(_SPACES, repeat=3)))
def test_empty_documents_are_those_bytes_strip_empties(pieces: tuple[bytes, ...]) -> None:
    body = b"".join(pieces)
    assert (_verdict(body) == "empty document") == (not body.strip())


def _verdict(body: bytes) -> str | None:
    """The reason :func:`_reject_binary` gives for ``body``, None when it lets it through."""
    try:
        _reject_binary(body)
    except UnreadablePageError as error:
        return str(error)
    return None


_HEADS = (
    "",
    "<link rel='canonical' href='https://a.blogspot.com/2020/01/one.html'>",
    "<link rel='canonical' href='not a url'>",
    "<link rel='canonical' href='file:///x.html'>"
    "<meta property='og:url' content='https://b.blogspot.com/2020/01/two.html'>",
    "<meta property='og:url' content='mailto:x@example.com'>",
)
_WRAPPERS = (
    "<p>no wrapper</p>",
    "<text id='https://c.blogspot.com/2020/01/three.html'><p>x</p></text>",
    "<div><text id='http://d.example.com/2020/01/four.html'><p>x</p></text></div>",
    "<text id='no url'><p>x</p></text>",
)


@pytest.mark.parametrize(("head", "wrapper"), list(itertools.product(_HEADS, _WRAPPERS)))
def test_the_page_url_equals_the_first_usable_of_every_candidate(head: str, wrapper: str) -> None:
    page = f"<html><head>{head}</head><body>{wrapper}</body></html>".encode()
    doc = load_document(page)
    facts = read_head(doc.root)
    plain = first_canonical([*facts.url_candidates, *_WRAPPER_URL(doc.root)])
    assert _page_canonical(doc, facts) == plain


def _plain_load_document(body: bytes) -> Document:
    """Loading as first written: the encoding decided (by a decode if need be), then a parse."""
    _reject_binary(body)
    encoding = _plain_decide_encoding(body)
    body = _utf8_bytes(body, encoding)
    root, cut = _parse(body, huge=False)
    if cut is not None:
        body, root = _parse_past_limits(body)
    return Document(root=root, body=body, encoding=encoding)


def _loaded(load: object, body: bytes) -> tuple[object, ...]:
    try:
        doc = load(body)  # type: ignore[operator]
    except UnreadablePageError as error:
        return ("unreadable", str(error))
    return (doc.encoding, doc.body, etree.tostring(doc.root))


_UTF8_PIECES = st.sampled_from(
    [b"a", b" ", b"\xc3\xa9", b"\xe2\x80\x99", b"\xf0\x9f\x98\x80", b"\xed\xa0\x80",
     b"\xe0\x80\xaf", b"\xf4\x90\x80\x80", b"\xc0\xaf", b"\x80", b"\xc2", b"\xe2\x80", b"\xff",
     b"\xef\xbf\xbe", b"\x00",
     b"<p>", b"</p>", b"</q>", b"<!--", b"-->", b"&amp;", b"<meta charset='utf-8'>",
     b"<meta charset='windows-1251'>", b"\xe9t\xe9"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_UTF8_PIECES, min_size=1, max_size=12).map(b"".join))
def test_loading_equals_deciding_the_encoding_by_a_decode_first(content: bytes) -> None:
    page = b"<html><head></head><body>" + content + b"</body></html>"
    assert _loaded(load_document, page) == _loaded(_plain_load_document, page)


def test_bytes_past_libxml2s_hundred_logged_errors_are_still_tested() -> None:
    # 150 stray end tags fill the log; the Latin-1 byte after them is logged by nobody.
    page = b"<html><body>" + b"</q>" * 150 + b"<p>caf\xe9</p></body></html>"
    assert _loaded(load_document, page) == _loaded(_plain_load_document, page)
    assert load_document(page).encoding == "cp1252"


def test_bytes_past_a_cut_parse_are_still_tested() -> None:
    # Nested past libxml2's 256 levels, then a byte that is not UTF-8.
    page = b"<html><body>" + b"<div>" * 300 + "\u2019".encode() + b"x\xe9</body></html>"
    assert _loaded(load_document, page) == _loaded(_plain_load_document, page)
    assert load_document(page).encoding != "utf-8"


def test_utf8_bytes_the_log_cannot_vouch_for_are_parsed_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 150 stray end tags fill libxml2's log: a decode tests the bytes, the parse stays.
    from crawler.parsing import document  # noqa: PLC0415 - the module whose parses are counted

    parses = []
    parse = document._parse  # noqa: SLF001

    def counted(body: bytes, *, huge: bool) -> object:
        parses.append(huge)
        return parse(body, huge=huge)

    monkeypatch.setattr(document, "_parse", counted)
    page = b"<html><body>" + b"</q>" * 150 + "<p>caf\u00e9</p>".encode() + b"</body></html>"
    assert load_document(page).encoding == "utf-8"
    assert parses == [False]


def _plain_declared_encoding(body: bytes) -> str | None:
    """The page's own declaration as first read: each expression searched in the 4 KB."""
    head = body[:4096]
    for pattern in (document_module._META_CHARSET, document_module._WRAPPER_ENCODING):  # noqa: SLF001
        declared = pattern.search(head)
        if declared and (codec := python_codec(declared.group(1).decode("ascii", "replace"))):
            return codec
    return None


_DECLARATION_PIECES = st.sampled_from(
    [b"<meta ", b"<META ", b"charset", b"CharSet", b"=", b"'", b'"', b"utf-8", b"windows-1251",
     b"latin1", b"bogus", b">", b"<text ", b"<TEXT ", b"encoding=", b"ENCODING=", b"utf8",
     b"http-equiv='Content-Type' content='text/html; ", b" ", b"x", b"<meta charset", b" =",
     b"= ", b"<text id='u' encoding="]
)  # fmt: skip


@settings(max_examples=400)
@given(st.lists(_DECLARATION_PIECES, max_size=12).map(b"".join))
@example(b"<meta charset =utf-8>")
@example(b"<META http-equiv='Content-Type' content='text/html; CHARSET= windows-1251'>")
@example(b"<TEXT id='u' ENCODING=utf8>")
def test_the_declaration_words_spare_no_match(body: bytes) -> None:
    """A declaration is looked for only where its word is: the same codec as searching always."""
    assert declared_encoding(b"<html>" + body) == _plain_declared_encoding(b"<html>" + body)
