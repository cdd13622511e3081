"""What already holds against hostile XML, pinned: no external entity (XXE) or DTD is read, no
internal entity is expanded (billion laughs), in feeds and sitemaps alike.

Each document references a file of our own outside anything the crawl should read; the parse
either refuses the document or returns it without that file's text and without blow-up.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from crawler.discovery.feed import FeedFormatError, parse_feed
from crawler.discovery.sitemap import SitemapFormatError, parse_sitemap

OUTSIDE_TEXT = "CONTENT-OF-A-LOCAL-FILE"
_LAUGHS = "".join(
    f'<!ENTITY l{n} "{"".join(f"&l{n - 1};" for _ in range(10))}">' for n in range(1, 10)
)


def _doctype(root: str, outside: Path) -> str:
    return (
        f'<?xml version="1.0"?><!DOCTYPE {root} ['
        f'<!ENTITY xxe SYSTEM "file://{outside}"><!ENTITY % dtd SYSTEM "file://{outside}">'
        f'<!ENTITY l0 "lol">{_LAUGHS}]>'
    )


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    path = tmp_path / "outside.txt"
    path.write_text(OUTSIDE_TEXT)
    return path


def _parsed_quickly(parse: object, *args: object) -> str:
    started = time.monotonic()
    try:
        result = repr(parse(*args))  # type: ignore[operator]
    except (FeedFormatError, SitemapFormatError) as refused:
        result = str(refused)
    assert time.monotonic() - started < 2.0
    return result


def test_a_feed_with_xxe_and_a_billion_laughs_is_read_without_either(outside: Path) -> None:
    feed = _doctype("feed", outside) + (
        '<feed xmlns="http://www.w3.org/2005/Atom"><id>tag:blogger.com,1999:blog-1</id>'
        "<entry><id>tag:blogger.com,1999:blog-1.post-2</id><title>&xxe;</title>"
        '<link rel="alternate" type="text/html" href="https://a.blogspot.com/2024/01/x.html"/>'
        "</entry><entry><id>tag:blogger.com,1999:blog-1.post-3</id><title>&l9;</title></entry>"
        "</feed>"
    )
    result = _parsed_quickly(
        parse_feed, "https://a.blogspot.com/feeds/posts/default", feed.encode()
    )
    assert OUTSIDE_TEXT not in result
    assert "lollol" not in result
    assert len(result) < 10_000


def test_a_sitemap_with_xxe_and_a_billion_laughs_is_read_without_either(outside: Path) -> None:
    sitemap = _doctype("urlset", outside) + (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://a.blogspot.com/&xxe;</loc></url>"
        "<url><loc>https://a.blogspot.com/&l9;</loc></url></urlset>"
    )
    result = _parsed_quickly(parse_sitemap, "https://a.blogspot.com/sitemap.xml", sitemap.encode())
    assert OUTSIDE_TEXT not in result
    assert "lollol" not in result
    assert len(result) < 10_000
