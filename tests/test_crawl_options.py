"""Crawl arguments are validated into typed options before any request."""

from __future__ import annotations

import pytest

from crawler.crawl_options import CrawlOptionError, blog_start_url, crawl_options


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("fake-layouts.blogspot.com", "https://fake-layouts.blogspot.com/"),
        ("http://fake-layouts.blogspot.com/2020/01/x.html", "http://fake-layouts.blogspot.com/"),
        ("HTTPS://Name.Blogspot.CO.UK", "https://name.blogspot.com/"),
        ("http://127-0-0-1.example:8080/", "http://127-0-0-1.example:8080/"),
        ("  www.custom-domain.test  ", "https://www.custom-domain.test/"),
    ],
)
def test_a_blog_url_or_bare_host_becomes_its_start_url(raw: str, expected: str) -> None:
    assert blog_start_url(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["ftp://x.blogspot.com", "http://", "localhost", "http://bad host.com/", "http://a.com:99999/"],
)
def test_a_bad_blog_url_is_refused_naming_it(raw: str) -> None:
    with pytest.raises(CrawlOptionError, match="not a blog URL"):
        blog_start_url(raw)


def test_string_spider_arguments_become_typed_options() -> None:
    options = crawl_options(
        blogs="a.blogspot.com, b.blogspot.com a.blogspot.com",
        full="yes",
        max_posts="10",
        include_pages="0",
    )
    assert options.blogs == ("https://a.blogspot.com/", "https://b.blogspot.com/")
    assert options.full
    assert options.max_posts == 10
    assert not options.include_pages
    assert options.run_id is None


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"blogs": ""}, "no blog to crawl"),
        ({"blogs": "a.blogspot.com", "full": "maybe"}, "full must be yes or no, not 'maybe'"),
        ({"blogs": "a.blogspot.com", "max_posts": "ten"}, "max_posts must be a whole number"),
        ({"blogs": "a.blogspot.com", "max_posts": "0"}, "max_posts must be at least 1"),
        ({"blogs": "a.blogspot.com,b.blogspot.com", "run_id": "3"}, "needs exactly one blog"),
        ({"blogs": "a.blogspot.com", "trigger": "x" * 33}, "trigger must be at most 32"),
    ],
)
def test_a_bad_option_is_refused_with_a_message_naming_it(
    arguments: dict[str, str], message: str
) -> None:
    with pytest.raises(CrawlOptionError, match=message):
        crawl_options(**arguments)
