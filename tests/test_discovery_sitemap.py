"""The sitemap reader on fixture sitemaps written after Blogger's."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.discovery.sitemap import (
    SitemapFormatError,
    child_page_number,
    following_child_url,
    parse_sitemap,
)

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"


def test_a_sitemap_index_lists_its_children_in_order() -> None:
    sitemap = parse_sitemap(
        "https://allotment-notes.blogspot.com/sitemap.xml",
        (FIXTURES / "sitemap-index.xml").read_bytes(),
    )
    assert sitemap.is_index
    assert sitemap.children == (
        "https://allotment-notes.blogspot.com/sitemap.xml?page=1",
        "https://allotment-notes.blogspot.com/sitemap.xml?page=2",
    )


def test_a_sitemap_page_lists_urls_with_lastmod_and_tolerates_missing_or_date_only_values() -> None:
    sitemap = parse_sitemap(
        "https://allotment-notes.blogspot.com/sitemap.xml?page=1",
        (FIXTURES / "sitemap-page1.xml").read_bytes(),
    )
    assert not sitemap.is_index
    assert [url.lastmod for url in sitemap.urls] == [
        datetime(2024, 3, 2, 9, 15, tzinfo=UTC),
        datetime(2024, 2, 20, 17, 31, 5, tzinfo=UTC),
        datetime(2023, 10, 10, tzinfo=UTC),
        None,
    ]
    assert (
        sitemap.urls[0].loc == "https://allotment-notes.blogspot.com/2024/03/sharpening-spade.html"
    )


def test_the_page_after_a_child_is_named_for_probing() -> None:
    url = "https://allotment-notes.blogspot.com/sitemap.xml?page=2"
    assert child_page_number(url) == 2
    assert following_child_url(url) == "https://allotment-notes.blogspot.com/sitemap.xml?page=3"
    assert following_child_url("https://allotment-notes.blogspot.com/sitemap.xml") is None


@pytest.mark.parametrize("body", [b"", b"<html><body>404</body></html>", b"<urlset"])
def test_bytes_that_are_not_a_sitemap_raise_naming_the_url(body: bytes) -> None:
    with pytest.raises(SitemapFormatError, match="sitemap.xml"):
        parse_sitemap("https://allotment-notes.blogspot.com/sitemap.xml", body)
