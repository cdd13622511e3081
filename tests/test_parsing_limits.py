"""Pages past libxml2's limits come out whole, or are refused with a reason; never cut in silence.

Also the hostile bytes the document layer must shrug off: unsafe charset labels, stray NULs,
BOM-less UTF-16, codecs libxml2 lacks, and what already holds (no DTD entity is expanded).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.extraction import parse_and_clean
from crawler.parsing import UnreadablePageError, parse_page
from crawler.parsing.document import decide_encoding, load_document
from crawler.parsing.tree_limits import MAX_WALK_DEPTH, TOO_DEEP
from tests.support.parsing_pages import POST_URL, layouts_page

FIRST, LAST = "The first paragraph stays.", "The closing paragraph is kept too."


def _paragraphs(page: bytes, content_type: str | None = None) -> list[str]:
    return parse_page(POST_URL, page, content_type=content_type).body_paragraphs


def _post(middle: str) -> bytes:
    return layouts_page(f"<p>{FIRST}</p>{middle}<p>{LAST}</p>").encode("utf-8")


def _wrapped(tag: str, depth: int, text: str = "Deep words.", *, close: bool = True) -> str:
    opening = f"<{tag}>" * depth
    return opening + text + (f"</{tag}>" * depth if close else "")


def test_a_text_node_over_ten_megabytes_is_kept_whole() -> None:
    long_text = "word " * (11 * 1024 * 1024 // 5)
    paragraphs = _paragraphs(_post(f"<p>{long_text}</p>"))
    assert paragraphs[0] == FIRST
    assert paragraphs[-1] == LAST
    assert len(paragraphs[1]) > 10 * 1024 * 1024


def test_a_twelve_megabyte_data_image_does_not_cut_the_body() -> None:
    image = f'<img src="data:image/png;base64,{"A" * (12 * 1024 * 1024)}">'
    assert _paragraphs(_post(f"<p>Before the image.</p>{image}<p>After it.</p>")) == [
        FIRST,
        "Before the image.",
        "After it.",
        LAST,
    ]


@pytest.mark.parametrize("depth", [257, 300])
def test_blocks_nested_past_256_levels_are_read_whole(depth: int) -> None:
    assert _paragraphs(_post(_wrapped("div", depth))) == [FIRST, "Deep words.", LAST]


@pytest.mark.parametrize("depth", [300, 700, 3000])
def test_hundreds_of_unclosed_font_tags_from_word_keep_every_word(depth: int) -> None:
    middle = "".join(f'<font face="Times New Roman">w{n} ' for n in range(depth))
    paragraphs = _paragraphs(_post(f"<p>{middle}</p>"))
    assert paragraphs[0] == FIRST
    assert paragraphs[1].split() == [f"w{n}" for n in range(depth)]
    assert LAST in paragraphs[-1]


@pytest.mark.parametrize("depth", [MAX_WALK_DEPTH + 10, 1000, 2100])
def test_blocks_nested_too_deep_to_read_are_refused_with_a_reason(depth: int) -> None:
    with pytest.raises(UnreadablePageError) as refused:
        _paragraphs(_post(_wrapped("div", depth)))
    assert refused.value.reason == TOO_DEEP


def test_a_refused_deep_page_becomes_a_reject_of_the_pipeline_not_an_exception() -> None:
    from crawler.items import FetchedPage, RejectedPage
    from crawler.pipelines.parse import parse_fetched

    body = _post(_wrapped("blockquote", 2100))
    result = parse_fetched(FetchedPage(url=POST_URL, body=body, content_type="text/html"))
    assert isinstance(result, RejectedPage)
    assert result.reason == f"unreadable: {TOO_DEEP}"
    assert result.body == body


def test_deep_inline_formatting_inside_deep_blocks_is_flattened_not_refused() -> None:
    middle = _wrapped("div", 200, _wrapped("span", 400, _wrapped("b", 300, "Inner words.")))
    assert _paragraphs(_post(middle)) == [FIRST, "Inner words.", LAST]


@pytest.mark.parametrize(
    "charset", ["utf-7", "UTF-7", "unicode_escape", "base64", "rot13", "x-nonsense", "utf-16"]
)
def test_an_unsafe_or_unknown_charset_header_is_ignored(charset: str) -> None:
    text = "Café “quoted” – naïve +ADw-b+AD4-"
    page = layouts_page(f"<p>{text}</p>").encode("utf-8")
    assert _paragraphs(page, f"text/html; charset={charset}") == [text]


@pytest.mark.parametrize("charset", ["utf-7", "x-nonsense", "utf-16", "unicode_escape"])
def test_an_unsafe_or_unknown_meta_charset_is_ignored(charset: str) -> None:
    text = "Café “quoted” – naïve +ADw-b+AD4- \\u0041"
    page = layouts_page(f"<p>{text}</p>", charset=charset).encode("utf-8")
    assert decide_encoding(page) == "utf-8"
    assert _paragraphs(page) == [text]


def test_an_unsafe_header_leaves_the_meta_declaration_in_charge() -> None:
    text = "Café “quoted” – naïve"
    page = layouts_page(f"<p>{text}</p>", charset="windows-1252").encode("cp1252")
    assert decide_encoding(page, "text/html; charset=utf-7") == "cp1252"
    assert _paragraphs(page, "text/html; charset=utf-7") == [text]


def test_bytes_missing_from_a_declared_codec_do_not_cut_the_page() -> None:
    # 0x81 has no windows-1252 character: libxml2 stopped the tree there.
    page = layouts_page("<p>Odd \x81 byte.</p><p>After it.</p>", charset="windows-1252")
    paragraphs = _paragraphs(page.encode("latin-1"))
    assert paragraphs[0].startswith("Odd")
    assert paragraphs[1] == "After it."


def test_a_codec_libxml2_lacks_is_read_by_python() -> None:
    text = "한국어 블로그 글입니다"
    page = layouts_page(f"<p>{text}</p>").replace("charset=UTF-8", "charset=euc-kr")
    assert _paragraphs(page.encode("euc-kr")) == [text]


@pytest.mark.parametrize("where", ["head", "body", "many"])
def test_nul_bytes_inside_html_are_dropped_not_fatal(where: str) -> None:
    page = _post("<p>Nul\x00 inside.</p>")
    if where == "head":
        page = page.replace(b"<head>", b"<head>\x00", 1)
    elif where == "many":
        page = page.replace(b"<p>", b"<p>\x00\x00")
    assert _paragraphs(page) == [FIRST, "Nul inside.", LAST]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_recognised_from_its_nuls(codec: str) -> None:
    text = "Café “quoted” – naïve"
    page = layouts_page(f"<p>{text}</p>").encode(codec)
    assert _paragraphs(page) == [text]


@pytest.mark.parametrize("noise", [bytes(range(256)) * 16, b"\x00\x01\x02\x03" * 1024])
def test_bytes_dense_with_control_bytes_are_binary(noise: bytes) -> None:
    with pytest.raises(UnreadablePageError) as refused:
        load_document(noise)
    assert refused.value.reason == "binary data, not a text document"


def test_external_and_internal_dtd_entities_are_never_expanded(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("CONTENT-OF-A-LOCAL-FILE")
    page = (
        f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{outside}">'
        '<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    ) + layouts_page("<p>Leak &xxe; bomb &c; end.</p>").split("\n", 1)[1]
    paragraphs = _paragraphs(page.encode("utf-8"))
    joined = " ".join(paragraphs)
    assert "AAAAAAAAAA" not in joined
    assert "CONTENT-OF-A-LOCAL-FILE" not in joined


def test_ordinary_pages_parse_as_before_through_the_whole_pipeline() -> None:
    record = parse_and_clean(POST_URL, _post("<p>Middle.</p>"))
    assert record.body_paragraphs == [FIRST, "Middle.", LAST]


@pytest.mark.parametrize("depth", [400, 3000])
def test_flattening_a_deep_page_keeps_the_named_elements_metadata_is_read_from(depth: int) -> None:
    page = _post("<p>Middle.</p>").replace(b"<body>", b"<body>" + b"<font size=2>" * depth)
    page = page.replace(b"Posted by\n", b"")  # the author only in span.fn, no "by NAME" line
    post = parse_page(POST_URL, page)
    assert post.body_paragraphs == [FIRST, "Middle.", LAST]
    assert post.author == "Fixture Author"
    assert post.title == "A post"
