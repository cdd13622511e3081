"""The spider's feed route: the post feed, then (incremental) the comments feed, then sitemaps.

The post feed is read by update time and paged by its ``next`` link; comment counts that
changed on unchanged posts become a :class:`CommentCountRefresh`. An incremental crawl then
reads the comments feed (posts with new comments changed too) and finally the sitemaps. When
the first feed page is unusable the home page's pager is walked instead (see
:mod:`crawler.spiders.pager_routing`); a missing comments feed only skips to the sitemaps.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from scrapy.http import Request, Response

from crawler.crawl_records import CommentCountRefresh
from crawler.discovery.feed import (
    FeedFormatError,
    FeedPage,
    next_page_url,
    paging_stop,
    parse_feed,
)
from crawler.discovery.pager import BlogPage
from crawler.feed_records.listing import FeedListing
from crawler.spiders.blog_plan import BlogTarget, Decision, decide
from crawler.spiders.crawl_bounds import report_bound
from crawler.spiders.deletion_check import LISTING_META, DeletionCheck
from crawler.spiders.distributed_plan import accounted
from crawler.spiders.failures import describe_failure
from crawler.spiders.pager_routing import PagerRouting
from crawler.spiders.sitemap_routing import SitemapRouting
from crawler.urls import canonical_url

logger = logging.getLogger(__name__)


class FeedRouting(PagerRouting, SitemapRouting, DeletionCheck):
    """Mixin of :class:`~crawler.spiders.blogger.BloggerSpider`: post and comments feeds."""

    home_pages: dict[str, BlogPage]
    """The home pages this process read, by start URL (the pager fallback starts there)."""

    def _after_feed(self, target: BlogTarget, meta: dict[str, Any]) -> Iterator[Request]:
        """Discovery after the post feed, in order: new comments (incremental), sitemaps.

        The sitemap comes last so that it only adds what the feeds did not list, and a post
        the comments feed marks as changed is not first decided unchanged by its lastmod.
        """
        # The comments feed's own end leads to the sitemap (meta: any worker may handle it).
        if target.since is not None and not target.comments_done and not meta.get("comments"):
            target.comments_done = True
            yield Request(
                target.comments_feed_url(),
                callback=self.parse_comments_feed,
                errback=self.comments_feed_failed,
                meta={**self._meta(target), "comments": True},
                priority=20,
            )
            return
        yield from self._sitemap_requests(target)

    @accounted
    def parse_feed(self, response: Response) -> Iterator[Request | CommentCountRefresh]:
        target = self._target_of(response.meta)
        try:
            page = parse_feed(response.url, response.body)
        except FeedFormatError as error:
            yield from self._feed_unusable(response.request, str(error))
            return
        self.crawler.stats.inc_value("discovery/feed_pages")
        listing = self.listing_for(response)
        listing.add_page(page)
        if page.total_results is not None:
            target.announced_posts = max(target.announced_posts, page.total_results)
        counts: dict[str, int | None] = {}
        for entry in page.entries:
            if entry.url is None:
                continue
            decision, url = decide(target, entry.url, entry.updated, exact=True)
            known = target.known.get(canonical_url(url)) if url else None
            if (
                decision == Decision.UNCHANGED
                and known is not None
                and entry.comment_count != known.comment_count
            ):
                counts[canonical_url(entry.url)] = entry.comment_count
            yield from self._act(target, decision, url, feed_updated=entry.updated)
        if counts:
            yield CommentCountRefresh(source_url=response.url, counts=counts)
        following = self._next_feed_page(target, page, "posts", listing)
        if following is None:
            yield from self._after_feed(target, response.meta)
            listing.finish()
            yield from self.check_deletions(target, listing)
            return
        yield Request(
            following,
            callback=self.parse_feed,
            errback=self.feed_failed,
            meta={**self._meta(target), LISTING_META: listing},
            priority=20,
        )

    def _next_feed_page(
        self, target: BlogTarget, page: FeedPage, feed: str, listing: FeedListing | None = None
    ) -> str | None:
        """Return the URL of the feed's next page, or ``None`` at its end or at a bound.

        A bound hit leaves ``listing`` (the post feed's) incomplete.
        """
        following = next_page_url(page)
        if following is None:
            return None
        stop = paging_stop(page, following, target.paged_keys.setdefault(feed, set()))
        if stop is None:
            return following
        if stop.complete:
            # Not a bound hit (nothing promised is missing), but the server asked for more.
            logger.warning("%s: %s; all promised entries listed", target.blog_url, stop.reason)
        else:
            report_bound(self.crawler, target.start_url, stop.reason)
            if listing is not None:
                listing.bound_hit(stop.reason)
        return None

    @accounted
    def feed_failed(self, failure: Any) -> Iterator[Request]:
        yield from self._feed_unusable(failure.request, describe_failure(failure))

    @accounted
    def parse_comments_feed(self, response: Response) -> Iterator[Request]:
        """Fetch the posts that got comments since the last run (their pages changed)."""
        target = self._target_of(response.meta)
        try:
            page = parse_feed(response.url, response.body)
        except FeedFormatError as error:
            logger.info("no usable comments feed: %s", error)
            yield from self._after_feed(target, response.meta)
            return
        self.crawler.stats.inc_value("discovery/comment_feed_pages")
        for entry in page.entries:
            if entry.url is None:
                continue
            seen = None if target.fetched_since(entry.url, entry.updated) else entry.updated
            decision, url = decide(target, entry.url, seen, exact=True)
            known = target.known.get(canonical_url(url)) if url else None
            # Keep the post's own time: a comment does not change when the post was edited.
            kept = known.updated_at if known is not None else None
            yield from self._act(target, decision, url, feed_updated=kept)
        following = self._next_feed_page(target, page, "comments")
        if following is None:
            yield from self._after_feed(target, response.meta)
            return
        yield Request(
            following,
            callback=self.parse_comments_feed,
            errback=self.comments_feed_failed,
            meta={**self._meta(target), "comments": True},
            priority=20,
        )

    @accounted
    def comments_feed_failed(self, failure: Any) -> Iterator[Request]:
        # Blogs can hide comment feeds; counts then refresh when posts change.
        logger.info("comments feed %s: %s", failure.request.url, describe_failure(failure))
        yield from self._after_feed(self._target_of(failure.request.meta), failure.request.meta)

    def _feed_unusable(self, request: Any, why: str) -> Iterator[Request]:
        start_url = request.meta["blog_start"]
        target = self._target_of(request.meta)
        self.ledger.error(start_url, f"feed {request.url}: {why}")
        if request.meta.get("feed_first"):
            # No feed at all: fall back to walking the home page's "Older posts" pager.
            self.crawler.stats.inc_value("discovery/pager_fallback")
            home = self.home_pages.get(start_url)
            if home is not None:
                yield from self._follow_listing(target, home)
            else:  # another worker read the home page: read it again as a listing
                yield Request(
                    target.url_on_blog("/"),
                    callback=self.parse_listing,
                    errback=self.listing_failed,
                    meta=self._meta(target),
                    priority=5,
                )
        yield from self._after_feed(target, request.meta)
