"""parse_page end to end on hand-written fixtures of every theme family, and on non-posts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from crawler.parsing import NotAPostError, parse_page
from crawler.urls import public_url
from tests.support.parsing_pages import FIXTURES, POST_URL, fixture_bytes, layouts_page

POST_FIXTURES = sorted(
    path.name.removesuffix(".expected.json") for path in FIXTURES.glob("*.expected.json")
)
NON_POSTS: dict[str, list[str]] = json.loads((FIXTURES / "non_posts.json").read_text("utf-8"))


def _expected(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.expected.json").read_text("utf-8"))


@pytest.mark.parametrize("name", POST_FIXTURES)
def test_each_theme_fixture_parses_to_its_expected_record(name: str) -> None:
    expected = _expected(name)
    record = parse_page(expected["url"], fixture_bytes(f"{name}.html")).to_json_dict()
    for key, value in expected.items():
        if key == "url":
            continue
        if key == "canonical":
            assert record["url"] == value
            continue
        assert record[key] == value, key


@pytest.mark.parametrize("name", POST_FIXTURES)
def test_the_record_keeps_the_fetch_url_as_source_and_a_canonical_url(name: str) -> None:
    expected = _expected(name)
    record = parse_page(expected["url"], fixture_bytes(f"{name}.html"))
    assert record.source_url == expected["url"]
    # Canonical, in the scheme the blog serves: https on blogspot, a custom domain's own.
    assert record.url == public_url(record.url)
    on_blogspot = urlsplit(record.url).netloc.endswith(".blogspot.com")
    assert record.url.startswith("https://") or not on_blogspot
    assert "?m=" not in record.url
    assert "showComment" not in record.url
    assert "#" not in record.url


@pytest.mark.parametrize(("name", "url_and_reason"), sorted(NON_POSTS.items()))
def test_pages_that_are_not_a_post_are_rejected_with_a_one_line_reason(
    name: str, url_and_reason: list[str]
) -> None:
    url, reason = url_and_reason
    with pytest.raises(NotAPostError) as raised:
        parse_page(url, fixture_bytes(name))
    assert raised.value.reason == reason
    assert "\n" not in raised.value.reason


def test_a_page_with_several_post_bodies_and_no_declared_type_is_a_listing() -> None:
    body = fixture_bytes("label_listing.html")
    with pytest.raises(NotAPostError, match="listing of 2 posts"):
        parse_page(Path("label_listing.html").resolve().as_uri(), body)


def test_a_declared_item_page_is_not_rejected_for_a_listing_like_url() -> None:
    expected = _expected("minima")
    record = parse_page("https://kitchen-notebook.blogspot.com/2012/", fixture_bytes("minima.html"))
    assert record.title == expected["title"]


def test_a_file_url_without_canonical_link_stays_the_record_url() -> None:
    html = b"<html><body><div class='post-body entry-content'><p>Text.</p></div></body></html>"
    record = parse_page("file:///tmp/page.html", html)
    assert record.url == "file:///tmp/page.html"
    assert record.body_paragraphs == ["Text."]
    assert record.extractor == "blogger-layouts"


def test_a_feed_given_as_a_page_is_rejected_as_xml() -> None:
    feed = b"<?xml version='1.0'?><?xml-stylesheet href='a.css'?><feed xmlns='http://www.w3.org/2005/Atom'/>"
    with pytest.raises(NotAPostError, match="an XML feed or sitemap, not a page"):
        parse_page("file:///feed.xml", feed)


def test_a_declared_item_page_with_neither_title_nor_body_is_not_a_post() -> None:
    html = layouts_page(" <div><br/></div> ", title="")
    with pytest.raises(NotAPostError, match="post page with neither title nor body"):
        parse_page(POST_URL, html.encode())


def test_a_titled_post_with_an_image_only_body_stays_a_post() -> None:
    html = layouts_page("<div class='separator'><a href='a.jpg'><img src='a.jpg'/></a></div>")
    record = parse_page(POST_URL, html.encode())
    assert record.title == "A post"
    assert record.body_paragraphs == []


def test_an_untitled_post_with_body_text_stays_a_post() -> None:
    record = parse_page(POST_URL, layouts_page("<p>Just a note.</p>", title="").encode())
    assert record.title is None
    assert record.body_paragraphs == ["Just a note."]


def test_a_saved_post_read_from_a_file_is_judged_by_its_canonical_post_url() -> None:
    record = parse_page("file:///saved/minima.html", fixture_bytes("minima.html"))
    assert record.url == _expected("minima")["canonical"]


def _with_context(html: str, extra: str) -> bytes:
    """Add ``extra`` (``'key': 'value'`` pairs) to the page's ``_SetDataContext`` blog data."""
    return html.replace("'pageType': 'item'", f"'pageType': 'item', {extra}").encode()


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("de", "de"),
        ("en_GB", "en-GB"),
        ("pt-br", "pt-BR"),
        ("zh_Hant_TW", "zh-Hant-TW"),
        ("es_419", "es-419"),
        ("zh-yue-HK", "zh-yue-HK"),
    ],
)
def test_the_language_falls_back_to_bloggers_data_context_locale(
    locale: str, language: str
) -> None:
    page = _with_context(
        layouts_page("<p>Text.</p>"),
        f"'encoding': 'UTF-8',\n 'locale': '{locale}', 'localeUnderscoreDelimited': 'x_y'",
    )
    assert parse_page(POST_URL, page).language == language


def test_a_declared_html_lang_outranks_the_data_context_locale() -> None:
    html = layouts_page("<p>Texte.</p>").replace("<html>", "<html lang='fr'>")
    assert parse_page(POST_URL, _with_context(html, "'locale': 'de'")).language == "fr"


def test_a_page_without_any_language_evidence_has_none() -> None:
    assert parse_page(POST_URL, layouts_page("<p>Text.</p>").encode()).language is None


@pytest.mark.parametrize(("declared", "language"), [("en_US", "en-US"), ("EN", "en"), ("x", "x")])
def test_a_declared_language_is_given_in_bcp_47_form_when_it_is_a_tag(
    declared: str, language: str
) -> None:
    html = layouts_page("<p>Text.</p>").replace("<html>", f"<html lang='{declared}'>")
    assert parse_page(POST_URL, html.encode()).language == language
