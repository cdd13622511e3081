"""Crawl arguments are validated into typed options before any request."""

from __future__ import annotations

import argparse

import pytest

from crawler.crawl_options import (
    CrawlOptionError,
    CrawlOptions,
    UnknownCrawlOption,
    add_crawl_arguments,
    blog_start_url,
    crawl_options,
    options_from_command_line,
    options_from_namespace,
    options_from_table,
    parse_crawl_arguments,
)


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


def test_every_refusal_names_its_option() -> None:
    cases = {
        "blogs": {"blogs": "ftp://x"},
        "full": {"blogs": "a.blogspot.com", "full": "maybe"},
        "max_posts": {"blogs": "a.blogspot.com", "max_posts": "-1"},
        "run_id": {"blogs": "a.blogspot.com", "run_id": "0"},
        "trigger": {"blogs": "a.blogspot.com", "trigger": "x" * 33},
    }
    for option, arguments in cases.items():
        with pytest.raises(CrawlOptionError) as raised:
            crawl_options(**arguments)
        assert raised.value.option == option
        assert "\n" not in str(raised.value)


@pytest.mark.parametrize("value", [True, 1.5, 2.0])
def test_a_count_is_a_whole_number_not_a_boolean_or_a_fraction(value: object) -> None:
    with pytest.raises(CrawlOptionError, match="max_posts must be a whole number"):
        crawl_options(blogs="a.blogspot.com", max_posts=value)  # type: ignore[arg-type]


def test_an_unknown_spider_argument_is_refused_naming_it() -> None:
    with pytest.raises(UnknownCrawlOption, match="'max_post'") as raised:
        parse_crawl_arguments({"blogs": "a.blogspot.com", "max_post": "3"})
    assert raised.value.option == "max_post"


FULL_OPTIONS = CrawlOptions(
    blogs=("https://a.blogspot.com/",),
    full=True,
    max_posts=7,
    run_id=3,
    include_pages=True,
    trigger="schedule",
    comments=False,
)


@pytest.mark.parametrize("options", [FULL_OPTIONS, CrawlOptions(blogs=("http://b.example.org/",))])
def test_spider_arguments_and_the_command_line_read_back_to_equal_options(
    options: CrawlOptions,
) -> None:
    assert parse_crawl_arguments(options.to_spider_arguments()) == options
    parser = argparse.ArgumentParser()
    add_crawl_arguments(parser)
    assert options_from_namespace(parser.parse_args(options.to_arguments())) == options
    line = ["crawl-it", "URL", *options.flag_arguments(), "--other", "x"]
    assert options_from_command_line(line, blogs=options.blogs) == options


def test_the_flags_are_what_a_user_types_defaults_left_out() -> None:
    assert CrawlOptions(blogs=("https://a.blogspot.com/",)).flag_arguments() == []
    assert FULL_OPTIONS.flag_arguments() == [
        "--full",
        "--include-pages",
        "--max-posts",
        "7",
        "--no-comments",
        "--run-id",
        "3",
        "--trigger",
        "schedule",
    ]


@pytest.mark.parametrize(
    ("table", "option"),
    [
        ({"full": "yes"}, "full"),
        ({"include_pages": 1}, "include_pages"),
        ({"max_posts": 0}, "max_posts"),
        ({"max_posts": 1.5}, "max_posts"),
        ({"blogs": "x.blogspot.com"}, "blogs"),
        ({"max_post": 3}, "max_post"),
    ],
)
def test_a_table_of_typed_options_is_refused_naming_the_bad_entry(
    table: dict[str, object], option: str
) -> None:
    with pytest.raises(CrawlOptionError) as raised:
        options_from_table(table, blogs=["a.blogspot.com"])
    assert raised.value.option == option


def test_a_table_reads_typed_values_none_meaning_not_given() -> None:
    options = options_from_table(
        {"full": True, "max_posts": 5, "run_id": None}, blogs=["a.blogspot.com"]
    )
    assert (options.full, options.max_posts, options.run_id) == (True, 5, None)
