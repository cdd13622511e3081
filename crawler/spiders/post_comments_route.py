"""Each post's own comments feed: the fallback for threads a page cannot show whole.

A post page shows at most :data:`~crawler.spiders.long_threads.PAGE_THREAD_LIMIT` comments.
When the blog-wide comments feed is off (404, or not a feed) and the blog's comments are
harvested, the posts this run fetches whose post-feed count (``thr:total``) passes that limit
(:class:`~crawler.spiders.long_threads.LongThreads`, carried by the requests, so any worker
knows all of them) have their own feed read instead, ``/feeds/POSTID/comments/default``, page
by page. Its comments become :class:`~crawler.items.PostComments` listings like the blog-wide
feed's (never a closing listing: a per-post read marks nothing deleted).

Bounds (each reported when hit): :data:`~crawler.spiders.long_threads.MAX_LONG_THREADS` posts
per blog, and :data:`MAX_PAGES_PER_POST` feed pages per post besides the feed's own paging
stops.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from scrapy.http import Request, Response

from crawler.discovery.feed import FeedFormatError, parse_feed
from crawler.feed_records.comment_entries import read_comment_feed
from crawler.items import PostComments
from crawler.spiders.blog_plan import BlogTarget
from crawler.spiders.blog_requests import BlogRequests
from crawler.spiders.blog_targets import BlogTargets
from crawler.spiders.comment_harvest import CommentHarvest
from crawler.spiders.crawl_bounds import report_bound
from crawler.spiders.failures import describe_failure
from crawler.spiders.feed_route import count_comment_page, feed_paging
from crawler.spiders.long_threads import MAX_LONG_THREADS, PAGE_THREAD_LIMIT, LongThreads

logger = logging.getLogger(__name__)

PRIORITY = 20
MAX_PAGES_PER_POST = 200
"""Pages of one post's comments feed read at most (Blogger pages by up to 500)."""


class PostCommentsFeedRoute:
    """Reads the per-post comments feeds of a blog whose blog-wide comments feed is off."""

    name = "post_comments_feed"

    def __init__(self, crawler: Any, targets: BlogTargets, requests: BlogRequests) -> None:
        self.crawler = crawler
        self.targets = targets
        self.requests = requests
        self.harvest = CommentHarvest()

    def note(
        self, target: BlogTarget, threads: LongThreads, post_id: str | None, count: int | None
    ) -> None:
        """Add a fetched post to ``threads`` when its feed ``count`` passes what its page shows.

        Nothing for a blog whose comments are off; the bound is reported when first hit.
        """
        if target.comments and threads.note(post_id, count):
            report_bound(
                self.crawler,
                target.start_url,
                f"more than {MAX_LONG_THREADS} posts with over {PAGE_THREAD_LIMIT} comments:"
                " the rest keep their page threads",
            )

    def start(self, target: BlogTarget, threads: LongThreads) -> Iterator[Request]:
        """Yield the first page request of each of ``threads``' feeds.

        Called once per run: where the blog-wide comments feed turns out to be off, which ends
        that feed's chain of requests.
        """
        if not target.comments:
            return
        for post_id in threads.post_ids:
            self.crawler.stats.inc_value("comments/post_feeds")
            yield self._page_request(target, target.post_comments_feed_url(post_id), post_id, 1)

    def _page_request(self, target: BlogTarget, url: str, post_id: str, number: int) -> Request:
        return self.requests.for_blog(
            self.name,
            target,
            url,
            priority=PRIORITY,
            meta={"comments_post": post_id, "comments_page": number},
        )

    def parse(self, response: Response) -> Iterator[Request | PostComments]:
        """Pass one page's comments on; request the next page within the bounds."""
        target = self.targets.of(response.meta)
        post_id = response.meta["comments_post"]
        number = response.meta["comments_page"]
        try:
            page = parse_feed(response.url, response.body)
            read = read_comment_feed(response.url, response.body)
        except FeedFormatError as error:
            logger.info("comments feed of post %s: %s", post_id, error)
            return
        count_comment_page(self.crawler, target, response.url, read)
        yield from self.harvest.listings(target.start_url, read, whole=False)
        following, _ = feed_paging(self.crawler, target, page, f"post-comments:{post_id}")
        if following is None:
            return
        if number >= MAX_PAGES_PER_POST:
            report_bound(
                self.crawler,
                target.start_url,
                f"comments feed of post {post_id}: more than {MAX_PAGES_PER_POST} pages",
            )
            return
        yield self._page_request(target, following, post_id, number + 1)

    def failed(self, failure: Any) -> Iterator[Request]:
        # The post keeps the comments its page showed.
        self.crawler.stats.inc_value("comments/post_feed_failed")
        logger.info("comments feed %s: %s", failure.request.url, describe_failure(failure))
        return iter(())
