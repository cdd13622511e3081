"""Encoding decisions: BOM, declared charset, strict UTF-8, windows-1252; unreadable bytes."""

from __future__ import annotations

import codecs

import pytest

from crawler.parsing import UnreadablePageError, parse_page
from crawler.parsing.document import decide_encoding
from tests.support.parsing_pages import POST_URL, layouts_page

TEXT = "Café “quoted” – naïve ’"


def _body_of(page: bytes, content_type: str | None = None) -> list[str]:
    return parse_page(POST_URL, page, content_type=content_type).body_paragraphs


def test_a_windows_1252_page_without_declaration_is_read_as_cp1252() -> None:
    page = layouts_page(f"<p>{TEXT}</p>").replace("charset=UTF-8", "").encode("cp1252")
    assert _body_of(page) == [TEXT]


def test_a_declared_windows_1252_meta_charset_is_obeyed() -> None:
    page = layouts_page(f"<p>{TEXT}</p>", charset="windows-1252").encode("cp1252")
    assert decide_encoding(page) == "cp1252"
    assert _body_of(page) == [TEXT]


def test_the_http_content_type_charset_is_obeyed() -> None:
    page = layouts_page(f"<p>{TEXT}</p>").replace("charset=UTF-8", "").encode("cp1252")
    assert _body_of(page, "text/html; charset=windows-1252") == [TEXT]


def test_a_utf8_bom_decides_the_encoding_and_is_not_text() -> None:
    page = codecs.BOM_UTF8 + layouts_page(f"<p>{TEXT}</p>", charset="windows-1252").encode("utf-8")
    assert decide_encoding(page) == "utf-8"
    assert _body_of(page) == [TEXT]


def test_a_utf16_page_with_bom_is_read() -> None:
    page = layouts_page(f"<p>{TEXT}</p>").encode("utf-16")
    assert _body_of(page) == [TEXT]


def test_a_utf8_page_without_declaration_is_read_as_utf8() -> None:
    page = layouts_page(f"<p>{TEXT}</p>").replace("charset=UTF-8", "").encode("utf-8")
    assert decide_encoding(page) == "utf-8"
    assert _body_of(page) == [TEXT]


def test_a_declared_latin1_page_is_read_as_windows_1252_like_browsers_do() -> None:
    page = layouts_page("<p>\u2019</p>", charset="iso-8859-1").encode("cp1252")
    assert _body_of(page) == ["\u2019"]


def test_double_escaped_entities_stay_escaped_once() -> None:
    page = layouts_page("<p>&amp;amp; &amp;lt;tag&amp;gt;</p>").encode("utf-8")
    assert _body_of(page) == ["&amp; &lt;tag&gt;"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty document"),
        (b"   \n\t ", "empty document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data, not a text document"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "binary data, not a text document"),
    ],
)
def test_bytes_that_are_not_a_document_are_unreadable(body: bytes, reason: str) -> None:
    with pytest.raises(UnreadablePageError) as raised:
        parse_page(POST_URL, body)
    assert raised.value.reason == reason
