"""Downloader middlewares on their own: seeds files, Retry-After, blog-host filter."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.middlewares.budget import ANNOUNCED_POSTS_CAP, RequestBudgetMiddleware
from crawler.middlewares.offsite import BlogOffsiteMiddleware
from crawler.middlewares.retry import RetryAfterMiddleware, retry_after_seconds
from crawler.middlewares.seeds import SeedsDirectoryMiddleware, seed_paths
from crawler.spiders.blog_plan import BlogTarget


def test_seed_files_are_named_by_host_path_and_sorted_query(tmp_path: Path) -> None:
    assert seed_paths(tmp_path, "http://a.blogspot.com/") == [
        tmp_path / "a.blogspot.com/index.html"
    ]
    assert seed_paths(
        tmp_path, "http://a.blogspot.com/feeds/posts/default?orderby=updated&max-results=5"
    ) == [
        tmp_path / "a.blogspot.com/feeds/posts/default@max-results=5&orderby=updated",
        tmp_path / "a.blogspot.com/feeds/posts/default",
    ]


def test_the_seeds_middleware_answers_from_files_and_404s_the_rest(tmp_path: Path) -> None:
    host = tmp_path / "a.blogspot.com"
    (host / "2024/01").mkdir(parents=True)
    (host / "2024/01/x.html").write_bytes(b"<html>post</html>")
    (host / "old.html").write_bytes(b"")
    (host / "old.html.headers").write_text(
        "Status: 301\nLocation: http://a.blogspot.com/2024/01/x.html\n"
    )
    middleware = SeedsDirectoryMiddleware(tmp_path, enabled=True)
    page = middleware.process_request(Request("http://a.blogspot.com/2024/01/x.html"))
    assert page is not None
    assert (page.status, page.body) == (200, b"<html>post</html>")
    assert page.headers[b"Content-Type"].startswith(b"text/html")
    moved = middleware.process_request(Request("http://a.blogspot.com/old.html"))
    assert moved is not None
    assert moved.status == 301
    missing = middleware.process_request(Request("http://a.blogspot.com/nope.html"))
    assert missing is not None
    assert missing.status == 404
    assert (
        SeedsDirectoryMiddleware(tmp_path, enabled=False).process_request(
            Request("http://a.blogspot.com/2024/01/x.html")
        )
        is None
    )


def test_retry_after_is_read_as_seconds_or_an_http_date() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds(b"7") == 7.0
    assert retry_after_seconds(b"Thu, 01 Jan 2026 12:00:30 GMT", now=now) == 30.0
    assert retry_after_seconds(b"soon") is None
    assert retry_after_seconds(None) is None


def test_the_retry_pause_honours_retry_after_and_otherwise_backs_off() -> None:
    crawler = get_crawler(settings_dict={"RETRY_BACKOFF_BASE": 1.0, "RETRY_BACKOFF_MAX": 5.0})
    middleware = RetryAfterMiddleware.from_crawler(crawler)
    request = Request("http://a.blogspot.com/", meta={"retry_times": 0})
    assert middleware.pause_for(request, b"3") == 3.0
    assert middleware.pause_for(request, b"100000") == 1.0  # too long: our own backoff instead
    assert (
        middleware.pause_for(Request("http://a.blogspot.com/", meta={"retry_times": 2}), None)
        == 4.0
    )
    assert (
        middleware.pause_for(Request("http://a.blogspot.com/", meta={"retry_times": 9}), None)
        == 5.0
    )


class _Spider:
    def __init__(self) -> None:
        self.targets = {
            "s": BlogTarget(
                start_url="http://a.blogspot.com/",
                scheme="http",
                netloc="www.a.test",
                hosts={"a.blogspot.com", "www.a.test"},
                blog_url="https://www.a.test/",
            )
        }


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://www.a.test/2024/01/x.html", True),
        ("http://a.blogspot.co.uk/2024/01/x.html", True),
        ("http://feeds.feedburner.com/a", False),
        ("http://www.blogger.com/feeds/1/posts/default", False),
        ("http://www.a.test/robots.txt", True),
        ("http://a.blogspot.de/robots.txt", True),
        # robots.txt is fetched for entitled hosts only (issue 10, item 4).
        ("http://elsewhere.test/robots.txt", False),
        ("http://b.blogspot.com/robots.txt", False),
    ],
)
def test_only_the_blogs_own_hosts_are_followed(url: str, allowed: bool) -> None:
    middleware = BlogOffsiteMiddleware(stats=None)  # type: ignore[arg-type]
    assert middleware.should_follow(Request(url), _Spider()) is allowed


def test_the_request_budget_scales_with_the_announced_size_up_to_a_cap() -> None:
    crawler = get_crawler(
        settings_dict={"BLOGINGEST_REQUEST_BUDGET": 10, "BLOGINGEST_REQUEST_BUDGET_PER_POST": 2}
    )
    spider = _Spider()
    crawler.spider = spider  # type: ignore[assignment]
    middleware = RequestBudgetMiddleware.from_crawler(crawler)
    assert middleware.budget_for("s") == 10
    spider.targets["s"].announced_posts = 25
    assert middleware.budget_for("s") == 60
    spider.targets["s"].known = dict.fromkeys(map(str, range(40)))  # type: ignore[arg-type]
    assert middleware.budget_for("s") == 90  # an incremental feed announces only changes
    spider.targets["s"].announced_posts = 10**12  # the server's word, capped
    assert middleware.budget_for("s") == 10 + 2 * ANNOUNCED_POSTS_CAP
    assert middleware.budget_for("unknown") == 10


def test_requests_past_the_budget_are_dropped_and_counted() -> None:
    crawler = get_crawler(
        settings_dict={"BLOGINGEST_REQUEST_BUDGET": 3, "BLOGINGEST_REQUEST_BUDGET_PER_POST": 0}
    )
    crawler.spider = _Spider()  # type: ignore[assignment]
    crawler.stats = MemoryStatsCollector(crawler)
    middleware = RequestBudgetMiddleware.from_crawler(crawler)
    requests = [Request(f"http://a.blogspot.com/{n}", meta={"blog_start": "s"}) for n in range(5)]
    kept = [r for r in requests if middleware.get_processed_request(r, None) is not None]
    assert kept == requests[:3]
    assert crawler.stats.get_value("budget/dropped") == 2
    other = Request("http://a.blogspot.com/robots.txt")  # no blog: not counted
    assert middleware.get_processed_request(other, None) is other
