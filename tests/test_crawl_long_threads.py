"""The long threads of a shared crawl: whichever worker meets the comments feed off knows them.

A post whose feed count passes the 200 comments its page shows needs its own comments feed
when the blog-wide one is off. Three spiders stand in for three workers of one distributed
run: one reads the post feed's first page (the long thread is on it), another its last page,
a third meets the blog-wide comments feed off. Requests pass between them as scrapy-redis
passes them: their meta pickled. No network, no database.
"""

from __future__ import annotations

import pickle
from typing import Any

from scrapy.http import Request, TextResponse
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler.spiders.blog_plan import BlogTarget
from crawler.spiders.blog_requests import ROUTE_META
from crawler.spiders.blogger import BloggerSpider
from crawler.spiders.long_threads import MAX_LONG_THREADS, LongThreads

START = "http://long.blogspot.com/"
BLOG_ID = "1111222233334444555"
LONG_POST = "9000000000000000001"
SHORT_POST = "9000000000000000002"


class _State:
    """Stands in for :class:`StoredBlogState`: nothing stored."""

    def known_posts(self, blog_url: str, *, full: bool) -> dict[str, Any]:
        return {}

    def load(self, target: BlogTarget) -> None:
        return None

    def load_recrawl_state(self, target: BlogTarget) -> None:
        return None


def _worker() -> BloggerSpider:
    settings = {"DATABASE_URL": "sqlite://", "BLOGINGEST_DISTRIBUTED": True}
    crawler = get_crawler(BloggerSpider, settings_dict=settings)
    spider = BloggerSpider(blogs=START)
    spider.crawler = crawler
    spider.assemble(crawler)
    spider.targets._state = _State()  # type: ignore[assignment] # noqa: SLF001 - no database
    spider.routes["deletion_check"].check = lambda target, listing: iter(())  # type: ignore[attr-defined]
    return spider


def _feed(entries: list[tuple[str, int]], *, start: int, total: int, next_page: bool) -> bytes:
    items = "".join(
        f"<entry><id>tag:blogger.com,1999:blog-{BLOG_ID}.post-{post_id}</id>"
        "<updated>2024-03-02T10:15:00.123+01:00</updated><title type='text'>A post</title>"
        f"<link rel='alternate' type='text/html' href='{START}2024/03/p{post_id}.html'/>"
        f"<thr:total>{count}</thr:total></entry>"
        for post_id, count in entries
    )
    following = (
        f"<link rel='next' type='application/atom+xml' href='{START}feeds/posts/default"
        f"?start-index={start + len(entries)}&amp;max-results=1'/>"
        if next_page
        else ""
    )
    return (
        "<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom' "
        "xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/' "
        "xmlns:thr='http://purl.org/syndication/thread/1.0'>"
        f"<id>tag:blogger.com,1999:blog-{BLOG_ID}</id>"
        f"<openSearch:totalResults>{total}</openSearch:totalResults>"
        f"<openSearch:startIndex>{start}</openSearch:startIndex>{following}{items}</feed>"
    ).encode()


def _handed_on(request: Request) -> Request:
    """The request as another worker pops it from the shared queue (meta pickled)."""
    return request.replace(meta=pickle.loads(pickle.dumps(request.meta)))  # noqa: S301


def _response(request: Request, body: bytes) -> TextResponse:
    return TextResponse(request.url, body=body, request=request, encoding="utf-8")


def _routed(output: Any, route: str) -> list[Request]:
    return [item for item in output if isinstance(item, Request) and item.meta[ROUTE_META] == route]


def _comments_feed_off_elsewhere(*, comments: bool) -> list[Request]:
    """Run the three workers; return the requests the last one yields for long threads."""
    first, second, third = _worker(), _worker(), _worker()
    target = first.targets.open(
        START,
        START,
        blog_url=START,
        last_success=None,
        full=True,
        max_posts=None,
        include_pages=False,
        run_id=7,
        source="pages",
        comments=comments,
    )
    feed_start = first.routes["feed"].start(target)  # type: ignore[attr-defined]
    page_one = _feed([(LONG_POST, 230)], start=1, total=2, next_page=True)
    [next_page] = _routed(first.routes["feed"].parse(_response(feed_start, page_one)), "feed")
    page_two = _feed([(SHORT_POST, 3)], start=2, total=2, next_page=False)
    read = _handed_on(next_page)
    if not comments:
        # A full crawl of a blog whose comments are off reads no comments feed at all, and
        # its requests carry no long thread.
        assert LongThreads.of(read.meta).post_ids == []
        output = list(second.routes["feed"].parse(_response(read, page_two)))
        assert _routed(output, "comments_feed") == []
        # A comments feed met off anyway (an incremental crawl reads it for changed posts).
        comments_feed = first.routes["comments_feed"]._page_request(  # type: ignore[attr-defined] # noqa: SLF001
            target, target.comments_feed_url(), LongThreads([LONG_POST])
        )
    else:
        [comments_feed] = _routed(
            second.routes["feed"].parse(_response(read, page_two)), "comments_feed"
        )
    off = _handed_on(comments_feed)
    failure = Failure(ConnectionError("404"))
    failure.request = off  # type: ignore[attr-defined]
    return _routed(third.routes["comments_feed"].failed(failure), "post_comments_feed")


def test_a_long_thread_found_by_one_worker_is_read_by_the_worker_meeting_the_feed_off() -> None:
    requests = _comments_feed_off_elsewhere(comments=True)
    assert [request.url.split("?")[0] for request in requests] == [
        f"{START}feeds/{LONG_POST}/comments/default"
    ]


def test_a_blog_with_comments_off_reads_no_long_thread_in_any_worker() -> None:
    assert _comments_feed_off_elsewhere(comments=False) == []


def test_the_long_threads_are_bounded_and_the_bound_is_said_once() -> None:
    threads = LongThreads()
    assert not threads.note("1", 200)  # a page shows 200: not long
    assert not threads.note(None, 500)
    for number in range(MAX_LONG_THREADS):
        assert not threads.note(str(number + 10), 201)
    assert threads.note("x", 999) is True  # the first one left out: report the bound
    assert threads.note("y", 999) is False  # once
    assert len(threads.post_ids) == MAX_LONG_THREADS
    assert threads.overflowed
