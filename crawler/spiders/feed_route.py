"""The feed routes: the post feed, then the comments feed, then sitemaps.

The post feed is read by update time and paged by its ``next`` link; comment counts that
changed on unchanged posts become a :class:`CommentCountRefresh`. Then the comments feed is
read (an incremental crawl's from the last run on: posts with new comments changed too; with
comments harvested, its comments are stored) and finally the sitemaps. When
the first feed page is unusable the home page's pager is walked instead (see
:mod:`crawler.spiders.pager_route`); a missing comments feed only skips to the sitemaps.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from scrapy.http import Request, Response

from crawler.crawl_items import CommentCountRefresh, CommentListings
from crawler.discovery.feed import (
    FeedFormatError,
    FeedPage,
    next_page_url,
    paging_stop,
    parse_feed_keeping_root,
)
from crawler.extensions.run_record import RunLedger
from crawler.feed_first import EntryPlan, Verdict
from crawler.feed_records.comment_entries import CommentFeedPage, comment_feed_page
from crawler.middlewares.offsite import OffBlogRedirect
from crawler.spiders.blog_plan import BlogTarget, Decision, decide
from crawler.spiders.blog_requests import BlogRequests
from crawler.spiders.blog_targets import BlogTargets
from crawler.spiders.comment_harvest import CommentHarvest
from crawler.spiders.crawl_bounds import report_bound
from crawler.spiders.deletion_check import LISTING_META, DeletionCheckRoute
from crawler.spiders.failures import describe_failure, failure_response
from crawler.spiders.feed_sample_route import VERDICT_META, FeedFirst, FeedSampleRoute
from crawler.spiders.long_threads import LONG_THREADS_META, LongThreads
from crawler.spiders.pager_route import PagerRoute
from crawler.spiders.post_route import PostRoute
from crawler.spiders.sitemap_route import SitemapRoute
from crawler.urls import canonical_url

if TYPE_CHECKING:  # that module imports this one's feed paging
    from crawler.spiders.post_comments_route import PostCommentsFeedRoute

logger = logging.getLogger(__name__)

PRIORITY = 20
_WITHHELD_STATUSES = frozenset({403, 404, 410})
"""A first feed page answering these is the owner's "Allow blog feed: None", not a fault."""


def next_feed_page(crawler: Any, target: BlogTarget, page: FeedPage, feed: str) -> str | None:
    """Return the URL of the feed's next page, or ``None`` at its end or at a bound."""
    return feed_paging(crawler, target, page, feed)[0]


def count_comment_page(crawler: Any, target: BlogTarget, url: str, read: CommentFeedPage) -> None:
    """Count a comments-feed page's entries in the stats; report a page cut at its entry bound."""
    stats = crawler.stats
    stats.inc_value("comments/feed_read", len(read.comments))
    if read.skipped:
        stats.inc_value("comments/feed_skipped", read.skipped)
    if read.dropped:
        report_bound(
            crawler,
            target.start_url,
            f"comments feed page {url} lists more than {len(read.comments)} entries",
        )


def feed_paging(
    crawler: Any, target: BlogTarget, page: FeedPage, feed: str
) -> tuple[str | None, bool]:
    """Return the feed's next page URL (``None``: no more) and whether a bound stopped it.

    A bound that is hit is reported (:func:`report_bound`); the feed's own end is not one.
    """
    following = next_page_url(page)
    if following is None:
        return None, False
    stop = paging_stop(page, following, target.paged_keys.setdefault(feed, set()))
    if stop is None:
        return following, False
    if stop.complete:
        # Not a bound hit (nothing promised is missing), but the server offered more: a
        # note, as the sitemaps list what the feed did not.
        RunLedger.for_crawler(crawler).note(target.start_url, stop.reason)
        return None, False
    report_bound(crawler, target.start_url, stop.reason)
    return None, True


class CommentsFeedRoute:
    """The comments feed, and what follows the post feed.

    An incremental crawl reads it from the last run on (``published-min``) to find the posts
    that got comments (their pages changed). A blog whose comments are harvested (its
    ``BlogTarget.comments``, the default) has it read in every crawl, and each page's comments
    become :class:`~crawler.items.PostComments` listings for the comments table
    (:class:`~crawler.spiders.comment_harvest.CommentHarvest`); a full crawl's whole read ends
    with the closing listings that mark comments the feed no longer lists deleted. A blog
    without a usable comments feed keeps its page threads; with comments harvested, the threads
    longer than a page shows (the :class:`~crawler.spiders.long_threads.LongThreads` its
    requests carry) are read from each post's own comments feed (``post_feeds``,
    :mod:`crawler.spiders.post_comments_route`).
    """

    name = "comments_feed"

    def __init__(
        self,
        crawler: Any,
        targets: BlogTargets,
        requests: BlogRequests,
        posts: PostRoute,
        sitemaps: SitemapRoute,
        post_feeds: PostCommentsFeedRoute,
    ) -> None:
        self.crawler = crawler
        self.targets = targets
        self.requests = requests
        self.posts = posts
        self.sitemaps = sitemaps
        self.harvest = CommentHarvest()
        self.post_feeds = post_feeds

    def after_feed(
        self, target: BlogTarget, meta: Mapping[str, Any], threads: LongThreads | None = None
    ) -> Iterator[Request]:
        """Discovery after the post feed, in order: the comments feed, sitemaps.

        The sitemap comes last so that it only adds what the feeds did not list, and a post
        the comments feed marks as changed is not first decided unchanged by its lastmod.
        ``threads``: the long threads the post feed found (``None``: those ``meta`` carries),
        carried by the comments feed's requests to wherever it turns out to be off.
        """
        # The comments feed's own end leads to the sitemap (meta: any worker may handle it).
        if self.ahead(target, meta):
            target.comments_done = True
            carried = threads if threads is not None else LongThreads.of(meta)
            yield self._page_request(target, target.comments_feed_url(), carried)
            return
        yield from self._unchanged_after_comments(target)
        yield from self.sitemaps.start(target)

    def ahead(self, target: BlogTarget, meta: Mapping[str, Any]) -> bool:
        """Whether this run reads the comments feed after the post feed (not read yet)."""
        wanted = target.since is not None or target.comments
        return wanted and not target.comments_done and not meta.get("comments")

    def _unchanged_after_comments(self, target: BlogTarget) -> Iterator[Any]:
        """Decide the unchanged posts whose comment count moved, once the comments feed is read.

        The post feed left them undecided so that the comments feed could still fetch their
        pages (their threads grew); those it did not fetch are unchanged now.
        """
        awaiting, target.awaiting_comments = target.awaiting_comments, {}
        for link, updated in awaiting.values():
            decision, url = decide(target, link, updated, exact=True)
            yield from self.posts.discovered(target, decision, url, feed_updated=updated)

    def _page_request(self, target: BlogTarget, url: str, threads: LongThreads) -> Request:
        meta = {"comments": True, LONG_THREADS_META: threads}
        return self.requests.for_blog(self.name, target, url, priority=PRIORITY, meta=meta)

    def parse(self, response: Response) -> Iterator[Request | CommentListings]:
        """Fetch the posts that got comments since the last run; pass the comments on."""
        target = self.targets.of(response.meta)
        try:
            # The page's XML is parsed once: the index here, the comments from its root.
            page, root = parse_feed_keeping_root(response.url, response.body)
        except FeedFormatError as error:
            logger.info("no usable comments feed: %s", error)
            yield from self._without_feed(target, response.meta)
            yield from self.after_feed(target, response.meta)
            return
        self.crawler.stats.inc_value("discovery/comment_feed_pages")
        # The page is read whole (its posts decided, its comments listed and kept for the
        # closing listings) before the next page is asked for, which then is fetched while
        # this one's items are processed (as the post feed's pages are).
        read: list[Any] = []
        if target.since is not None:
            read.extend(self._changed_posts(target, page))
        if target.comments:
            read.extend(self._comments(target, response.url, root))
        following, bound_hit = feed_paging(self.crawler, target, page, "comments")
        if following is not None:
            yield self._page_request(target, following, LongThreads.of(response.meta))
        yield from read
        if following is None:
            if target.comments and target.since is None:
                yield from self._close(target, response.url, page, complete=not bound_hit)
            yield from self.after_feed(target, response.meta)

    def _changed_posts(self, target: BlogTarget, page: FeedPage) -> Iterator[Request]:
        for entry in page.entries:
            if entry.url is None:
                continue
            seen = None if target.fetched_since(entry.url, entry.updated) else entry.updated
            decision, url = decide(target, entry.url, seen, exact=True)
            known = target.known.get(canonical_url(url)) if url else None
            # Keep the post's own time: a comment does not change when the post was edited.
            kept = known.updated_at if known is not None else None
            yield from self.posts.discovered(target, decision, url, feed_updated=kept)

    def _comments(
        self, target: BlogTarget, url: str, root: Any | None
    ) -> Iterator[CommentListings]:
        if root is None:  # an alt=json page: an index, but comments are read from Atom only
            logger.info("comments feed %s: not an Atom comments feed", url)
            return
        try:
            read = comment_feed_page(url, root)
        except FeedFormatError as error:  # the index read it: not expected, but never fatal
            logger.info("comments feed %s: %s", url, error)
            return
        count_comment_page(self.crawler, target, url, read)
        whole = target.since is None
        listings = self.harvest.listings(target.start_url, read, whole=whole)
        if listings:
            yield CommentListings(source_url=url, listings=listings)
        if whole and self.harvest.overflowed(target.start_url):
            report_bound(
                self.crawler,
                target.start_url,
                f"comments feed: more than {self.harvest.max_held_ids} comment ids held",
            )

    def _close(
        self, target: BlogTarget, url: str, page: FeedPage, *, complete: bool
    ) -> Iterator[CommentListings]:
        closing = self.harvest.closing_listings(
            target.start_url, url, complete=complete, total=page.total_results
        )
        if closing:
            self.crawler.stats.inc_value("comments/threads_complete", len(closing))
            yield CommentListings(source_url=url, listings=closing)

    def failed(self, failure: Any) -> Iterator[Request]:
        # Blogs can hide comment feeds; counts then refresh when posts change, and the
        # comments stored are the page threads.
        logger.info("comments feed %s: %s", failure.request.url, describe_failure(failure))
        meta = failure.request.meta
        target = self.targets.of(meta)
        yield from self._without_feed(target, meta)
        yield from self.after_feed(target, meta)

    def _without_feed(self, target: BlogTarget, meta: Mapping[str, Any]) -> Iterator[Request]:
        """Read the long threads ``meta`` carries from their posts' own feeds (no blog-wide one)."""
        yield from self.post_feeds.start(target, LongThreads.of(meta))


class PostFeedRoute:
    """The post feed: every post by update time, then the comments feed or the sitemaps."""

    name = "feed"

    def __init__(
        self,
        crawler: Any,
        ledger: RunLedger,
        targets: BlogTargets,
        requests: BlogRequests,
        posts: PostRoute,
        comments: CommentsFeedRoute,
        pager: PagerRoute,
        deletions: DeletionCheckRoute,
        first: FeedFirst,
        samples: FeedSampleRoute,
    ) -> None:
        self.crawler = crawler
        self.ledger = ledger
        self.targets = targets
        self.requests = requests
        self.posts = posts
        self.comments = comments
        self.pager = pager
        self.deletions = deletions
        self.first = first
        self.samples = samples

    def start(self, target: BlogTarget) -> Request:
        """Return the request of the feed's first page (the pager replaces it if unusable)."""
        return self.requests.for_blog(
            self.name, target, target.feed_url(), priority=PRIORITY, meta={"feed_first": True}
        )

    def parse(self, response: Response) -> Iterator[Any]:
        target = self.targets.of(response.meta)
        try:
            page, plans = self.first.read_page(target, response)  # the page parsed once
        except FeedFormatError as error:
            yield from self._unusable(response.request, str(error))
            return
        self.crawler.stats.inc_value("discovery/feed_pages")
        if page.total_results is not None:
            target.announced_posts = max(target.announced_posts, page.total_results)
        verdict = self.first.verdict(target, response.meta)
        if plans and verdict is None:
            # Feed-first: before anything is built from the feed, sample pages are compared;
            # this page is read again with their verdict (crawler.feed_first.sample).
            listed = [(entry.url, entry.updated) for entry in page.entries if entry.url]
            chain = self.first.sample(target, response.url, listed, plans)
            if chain is not None:
                yield self.samples.start(target, chain)
                return
            verdict = Verdict.TRUSTED  # nothing on it to build: nothing to verify
        listing = self.deletions.listing_for(response)
        listing.add_page(page)
        threads = LongThreads.of(response.meta)
        # Every post of the page is decided (and counted, noted, budgeted) before the next
        # page is asked for, which then is fetched while the page's posts are processed: the
        # feed is read one page after another, and its server's answer no longer waits for
        # them. In distributed mode that request's meta is sent off as it is yielded.
        decided = list(self._entries(target, response, page, plans, verdict, threads))
        following, bounded = feed_paging(self.crawler, target, page, "posts")
        if bounded:
            listing.bound_hit(f"feed paging stopped at a bound after {response.url}")
        if following is not None:
            meta: dict[str, Any] = {LISTING_META: listing, LONG_THREADS_META: threads}
            if verdict is not None:
                meta[VERDICT_META] = verdict.value
            yield self.requests.for_blog(self.name, target, following, priority=PRIORITY, meta=meta)
        yield from decided
        if following is None:
            yield from self.comments.after_feed(target, response.meta, threads)
            listing.finish()
            yield from self.deletions.check(target, listing)

    def _entries(
        self,
        target: BlogTarget,
        response: Response,
        page: FeedPage,
        plans: Mapping[str, EntryPlan],
        verdict: Verdict | None,
        threads: LongThreads,
    ) -> Iterator[Any]:
        """Decide each post of a feed page; yield its request or feed-built item, and counts."""
        counts: dict[str, int | None] = {}
        for entry in page.entries:
            if entry.url is None:
                continue
            decision, url = decide(target, entry.url, entry.updated, exact=True)
            key = canonical_url(url) if url else None
            known = target.known.get(key) if key else None
            if (
                decision == Decision.UNCHANGED
                and known is not None
                and entry.comment_count != known.comment_count
            ):
                counts[canonical_url(entry.url)] = entry.comment_count
                if key is not None and self.comments.ahead(target, response.meta):
                    # Left to the comments feed, which refetches a page whose thread grew (as
                    # before every run read the whole post feed); see after_feed.
                    target.decided.discard(key)
                    target.awaiting_comments[key] = (entry.url, entry.updated)
                    continue
            if decision == Decision.FETCH and url is not None:
                self.comments.post_feeds.note(target, threads, entry.post_id, entry.comment_count)
            build = self._builder(target, decision, url, plans.get(key) if key else None, verdict)
            yield from self.posts.discovered(
                target, decision, url, feed_updated=entry.updated, build=build
            )
        if counts:
            yield CommentCountRefresh(source_url=response.url, counts=counts)

    def _builder(
        self,
        target: BlogTarget,
        decision: str,
        url: str | None,
        plan: EntryPlan | None,
        verdict: Verdict | None,
    ) -> Callable[[], Any] | None:
        """Return what builds the post from its entry, or ``None``: its page is fetched."""
        if decision != Decision.FETCH or plan is None or url is None:
            return None
        if verdict is Verdict.FALLBACK:
            self.first.page_needed(target, url, "verification failed")
            return None
        if plan.reason is not None:
            self.first.page_needed(target, url, plan.reason)
            return None
        return functools.partial(self.first.entry_item, target, url, plan.parsed)

    def failed(self, failure: Any) -> Iterator[Request]:
        response = failure_response(failure)
        withheld = failure.check(OffBlogRedirect) is not None or (
            response is not None and response.status in _WITHHELD_STATUSES
        )
        yield from self._unusable(failure.request, describe_failure(failure), withheld=withheld)

    def _unusable(self, request: Any, why: str, *, withheld: bool = False) -> Iterator[Request]:
        """Give up on the feed from ``request``: the first page's failure starts the pager.

        A first feed page the owner withholds (``withheld``: the feed off, 403/404/410, or
        redirected off the blog, to FeedBurner say) is a note on the run; any other failure
        of a feed page is an error.
        """
        start_url = request.meta["blog_start"]
        target = self.targets.of(request.meta)
        first = bool(request.meta.get("feed_first"))
        if first and withheld:
            self.ledger.note(start_url, f"feed {request.url}: {why}: posts found another way")
        else:
            self.ledger.error(start_url, f"feed {request.url}: {why}")
        if first:
            # No feed at all: fall back to walking the home page's "Older posts" pager.
            self.crawler.stats.inc_value("discovery/pager_fallback")
            # Feed-first: the owner's "None", a FeedBurner redirect (off the blog), or junk.
            burner = "feedburner" in why.lower() or "feedproxy" in why.lower()
            reason = "feedburner" if burner else "no usable feed"
            self.crawler.stats.inc_value(f"feed/page_needed/{reason}")
            yield from self.pager.start(target)
        yield from self.comments.after_feed(target, request.meta)
