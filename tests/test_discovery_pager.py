"""Blogger detection, post links and the older-posts pager on fixture listing pages."""

from __future__ import annotations

from pathlib import Path

from crawler.discovery.pager import read_blog_page

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"
HOME = "https://allotment-notes.blogspot.com/"


def test_a_home_page_is_recognised_as_blogger_with_its_blog_id_and_feed() -> None:
    page = read_blog_page(HOME, (FIXTURES / "home-layouts.html").read_bytes())
    assert page.is_blogger
    assert page.blog_id == "1111222233334444555"
    assert page.feed_url == "https://allotment-notes.blogspot.com/feeds/posts/default"


def test_post_links_are_the_blogs_own_permalinks_without_listings_pages_or_other_blogs() -> None:
    page = read_blog_page(HOME, (FIXTURES / "home-layouts.html").read_bytes())
    assert page.post_links == (
        "https://allotment-notes.blogspot.com/2024/03/sharpening-spade.html",
        "https://allotment-notes.blogspot.com/2024/02/frost-dates.html",
    )


def test_the_older_posts_link_is_found_and_absent_on_the_last_page() -> None:
    home = read_blog_page(HOME, (FIXTURES / "home-layouts.html").read_bytes())
    assert home.older_link == (
        "https://allotment-notes.blogspot.com/search?updated-max=2024-02-20T18:30:00%2B01:00"
        "&max-results=2"
    )
    last = read_blog_page(
        HOME + "search?updated-max=x", (FIXTURES / "listing-last.html").read_bytes()
    )
    assert last.older_link is None
    assert len(last.post_links) == 2


def test_a_page_without_blogger_signals_or_bytes_is_not_blogger() -> None:
    assert not read_blog_page(HOME, b"<html><head><title>x</title></head></html>").is_blogger
    empty = read_blog_page(HOME, b"")
    assert (empty.is_blogger, empty.post_links, empty.older_link) == (False, (), None)
