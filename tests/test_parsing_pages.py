"""parse_page end to end on hand-written fixtures of every theme family, and on non-posts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crawler.parsing import NotAPostError, parse_page
from tests.support.parsing_pages import FIXTURES, fixture_bytes

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
    assert record.url.startswith("https://")
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
