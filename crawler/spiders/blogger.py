"""``scrapy crawl blogger -a blogs=URL[,URL...]``: crawl live Blogger blogs into the database.

The spider only routes. Per blog: the home page (follows a 301 to a custom domain; the blog is
known by its final host), then the post feed (by update time, from the last successful run
minus an overlap when incremental) and the sitemap as cross-check and fallback; when the feed
is unusable, the home page's "Older posts" pager. Each post page that is new or changed becomes
a :class:`~crawler.crawl_records.CrawledPage` item for the parse → clean → validate → store
pipelines. Every failure is recorded (rejects table or run errors) and the crawl goes on.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Request, Response

from crawler.crawl_options import CrawlOptions, crawl_options, split_blogs
from crawler.crawl_records import CommentCountRefresh, CrawledPage
from crawler.discovery.feed import FeedFormatError, next_page_url, parse_feed
from crawler.discovery.pager import BlogPage, read_blog_page
from crawler.discovery.sitemap import SitemapFormatError, parse_sitemap
from crawler.distributed.start_jobs import StartJob
from crawler.extensions.run_record import RunLedger
from crawler.items import RejectedPage
from crawler.spiders.blog_plan import RECRAWL_OVERLAP, BlogTarget, Decision, decide
from crawler.spiders.distributed_plan import accounted
from crawler.spiders.failures import describe_failure, failure_response, is_robots_refusal
from crawler.spiders.shared_frontier import SharedFrontier
from crawler.urls import canonical_host, canonical_url

logger = logging.getLogger(__name__)


class BloggerSpider(SharedFrontier, scrapy.Spider):
    """Crawls the blogs named by the ``blogs`` argument (see :mod:`crawler.crawl_options`)."""

    name = "blogger"

    def __init__(
        self,
        blogs: str | None = None,
        full: str | bool | None = None,
        max_posts: str | int | None = None,
        run_id: str | int | None = None,
        include_pages: str | bool | None = None,
        trigger: str | None = None,
        worker_only: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        # A distributed worker started without blogs only serves the shared queue.
        self.options: CrawlOptions = (
            CrawlOptions(blogs=())
            if worker_only
            else self.read_options(
                blogs=blogs,
                full=full,
                max_posts=max_posts,
                run_id=run_id,
                include_pages=include_pages,
                trigger=trigger,
            )
        )
        self.targets: dict[str, BlogTarget] = {}
        self.home_pages: dict[str, BlogPage] = {}
        self.target_runs: dict[str, int] = {}
        self.plans: dict[str, dict[str, Any]] = {}
        self.opened_runs: dict[str, int] = {}
        """Distributed mode: the runs this process opened, by start URL."""
        """Distributed mode: the run each cached target belongs to (rebuilt on a new run)."""

    def read_options(self, **arguments: Any) -> CrawlOptions:
        """Validate the spider arguments; raise :class:`CrawlOptionError` naming a bad one."""
        return crawl_options(**arguments)

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> BloggerSpider:
        if crawler.settings.getbool("BLOGINGEST_DISTRIBUTED") and not split_blogs(
            kwargs.get("blogs")
        ):
            kwargs["worker_only"] = True
        spider: BloggerSpider = super().from_crawler(crawler, *args, **kwargs)
        ledger = RunLedger.for_crawler(crawler)
        ledger.given_run_id = spider.options.run_id
        ledger.trigger = spider.options.trigger
        return spider

    async def start(self) -> AsyncIterator[Request]:
        for start_url in self.options.blogs:
            if self.distributed:
                options = self.options
                job = StartJob(
                    blog=start_url,
                    run_id=options.run_id,
                    full=options.full,
                    max_posts=options.max_posts,
                    include_pages=options.include_pages,
                    trigger=options.trigger,
                )
                for request in self.blog_job_requests(job):
                    yield request
                continue
            for request in self.blog_start_requests(start_url):
                yield request

    def blog_start_requests(self, start_url: str) -> Iterator[Request]:
        """Yield the requests that open one blog (a shared frontier may enqueue these)."""
        self.ledger.add_blog(start_url)
        yield Request(
            start_url,
            callback=self.parse_home,
            errback=self.home_failed,
            meta={"blog_start": start_url, "allow_offsite": True},
            priority=30,
        )

    # --- home page ---------------------------------------------------------------------------

    @accounted
    def parse_home(self, response: Response) -> Iterator[Request]:
        start_url = response.meta["blog_start"]
        page = read_blog_page(response.url, response.body)
        if not page.is_blogger:
            logger.warning("%s shows no Blogger signal; trying its feed anyway", response.url)
        run_id = response.meta.get("run_id")
        blog = self.ledger.resolve(start_url, response.url, run_id)
        job = response.meta.get("job")
        target = self._target(start_url, response.url, blog.blog_url, blog.last_success, job)
        self.home_pages[start_url] = page
        if run_id is not None:
            self.target_runs[start_url] = run_id
        logger.info(
            "%s: %s crawl%s",
            target.blog_url,
            "incremental" if target.since else "full",
            f" of posts updated since {target.since.isoformat()}" if target.since else "",
        )
        yield Request(
            target.feed_url(),
            callback=self.parse_feed,
            errback=self.feed_failed,
            meta={**self._meta(target), "feed_first": True},
            priority=20,
        )
        if target.since is None:
            # A full crawl has nothing to reconcile: read the sitemap alongside the feed, so
            # discovery is not bound to the feed's sequential paging.
            yield from self._sitemap_requests(target)

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

    def _sitemap_requests(self, target: BlogTarget) -> Iterator[Request]:
        if target.sitemaps_requested:
            return
        target.sitemaps_requested = True
        meta = self._meta(target)
        yield Request(
            target.url_on_blog("/sitemap.xml"),
            callback=self.parse_sitemap,
            errback=self.sitemap_failed,
            meta=meta,
            priority=10,
        )
        if target.include_pages:
            yield Request(
                target.url_on_blog("/sitemap-pages.xml"),
                callback=self.parse_sitemap,
                errback=self.sitemap_failed,
                meta=meta,
                priority=10,
            )

    def _target(
        self,
        start_url: str,
        final_url: str,
        blog_url: str,
        last_success: datetime | None,
        job: dict[str, Any] | None = None,
    ) -> BlogTarget:
        """Build the blog's target after its home page; ``job``: a distributed job's options."""
        final = urlsplit(final_url)
        start_host = canonical_host(urlsplit(start_url).hostname or "")
        full = job["full"] if job is not None else self.options.full
        known = self._known_posts(blog_url, full=full)
        since = None
        if not full and last_success is not None and known:
            since = last_success - RECRAWL_OVERLAP
        target = BlogTarget(
            start_url=start_url,
            scheme=final.scheme,
            netloc=final.netloc,
            hosts={start_host, canonical_host(final.hostname or "")},
            blog_url=blog_url,
            known=known,
            since=since,
            max_posts=job["max_posts"] if job is not None else self.options.max_posts,
            include_pages=job["include_pages"] if job is not None else self.options.include_pages,
        )
        self._load_validators(target)
        self.targets[start_url] = target
        if job is not None:
            self.plans[start_url] = {"full": full}
        return target

    @accounted
    def home_failed(self, failure: Any) -> None:
        start_url = failure.request.meta["blog_start"]
        self.ledger.error(
            start_url, f"home page {start_url}: {describe_failure(failure)}", fatal=True
        )
        self.crawler.stats.inc_value("blogs/failed")

    # --- feed ------------------------------------------------------------------------------

    @accounted
    def parse_feed(self, response: Response) -> Iterator[Request | CommentCountRefresh]:
        target = self._target_of(response.meta)
        try:
            page = parse_feed(response.url, response.body)
        except FeedFormatError as error:
            yield from self._feed_unusable(response.request, str(error))
            return
        self.crawler.stats.inc_value("discovery/feed_pages")
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
        following = next_page_url(page)
        if following is None:
            yield from self._after_feed(target, response.meta)
            return
        yield Request(
            following,
            callback=self.parse_feed,
            errback=self.feed_failed,
            meta=self._meta(target),
            priority=20,
        )

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
        following = next_page_url(page)
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

    # --- sitemap ---------------------------------------------------------------------------

    @accounted
    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        target = self._target_of(response.meta)
        try:
            sitemap = parse_sitemap(response.url, response.body)
        except SitemapFormatError as error:
            logger.info("no usable sitemap: %s", error)
            return
        self.crawler.stats.inc_value("discovery/sitemap_pages")
        for child in sitemap.children:
            url = target.fetch_url(child)
            if url is not None:
                yield Request(
                    url,
                    callback=self.parse_sitemap,
                    errback=self.sitemap_failed,
                    meta=self._meta(target),
                    priority=10,
                )
        for entry in sitemap.urls:
            decision, url = decide(target, entry.loc, entry.lastmod, exact=False)
            yield from self._act(target, decision, url, sitemap_lastmod=entry.lastmod)

    @accounted
    def sitemap_failed(self, failure: Any) -> None:
        # Many blogs have no sitemap, or a robots.txt that hides it: the feed is the source.
        logger.info("sitemap %s: %s", failure.request.url, describe_failure(failure))

    # --- pager (last resort) ---------------------------------------------------------------

    @accounted
    def parse_listing(self, response: Response) -> Iterator[Request]:
        target = self._target_of(response.meta)
        yield from self._follow_listing(target, read_blog_page(response.url, response.body))

    def _follow_listing(self, target: BlogTarget, page: BlogPage) -> Iterator[Request]:
        for link in page.post_links:
            decision, url = decide(target, link, None, exact=False)
            yield from self._act(target, decision, url)
        older = target.fetch_url(page.older_link) if page.older_link else None
        if older is not None:
            yield Request(
                older,
                callback=self.parse_listing,
                errback=self.listing_failed,
                meta=self._meta(target),
                priority=5,
            )

    @accounted
    def listing_failed(self, failure: Any) -> None:
        start_url = failure.request.meta["blog_start"]
        if not is_robots_refusal(failure):
            self.ledger.error(
                start_url, f"listing {failure.request.url}: {describe_failure(failure)}"
            )

    # --- posts -----------------------------------------------------------------------------

    def _act(
        self,
        target: BlogTarget,
        decision: str,
        url: str | None,
        *,
        feed_updated: datetime | None = None,
        sitemap_lastmod: datetime | None = None,
    ) -> Iterator[Request]:
        stats = self.crawler.stats
        if decision in (Decision.SEEN, Decision.OFFSITE) or url is None:
            return
        if not self.first_sighting_in_run(target, url):
            return  # distributed: another worker already decided this post in this run
        stats.inc_value("discovery/posts_found")
        self.ledger.count(url, "found")
        if decision == Decision.UNCHANGED:
            stats.inc_value("posts/unchanged_skipped")
            self.ledger.count(url, "unchanged")
            return
        if decision == Decision.OVER_BUDGET or not self.take_run_fetch_budget(target):
            stats.inc_value("posts/over_budget")
            return
        known = canonical_url(url) in target.known
        validators = target.validators.get(url) if known else None
        yield Request(
            url,
            callback=self.parse_post,
            errback=self.post_failed,
            # Deduped by decide(); dont_filter lets a redirect loop hit REDIRECT_MAX_TIMES and
            # reach the errback instead of being dropped silently by the dupe filter.
            # Distributed: the run-scoped shared seen-set is the one dedupe across workers.
            dont_filter=not self.distributed,
            meta={
                **self._meta(target),
                "feed_updated": feed_updated,
                "sitemap_lastmod": sitemap_lastmod,
                # Only stored posts are asked conditionally: a 304 must never hide a post we lack.
                "validators": validators,
                "handle_httpstatus_list": [304] if validators else [],
            },
        )

    @accounted
    def parse_post(self, response: Response) -> Iterator[CrawledPage]:
        stats = self.crawler.stats
        if response.status == 304:
            stats.inc_value("posts/not_modified")
            self.ledger.count(response.url, "unchanged")
            return
        stats.inc_value("posts/fetched")
        self.ledger.count(response.url, "fetched")
        content_type = response.headers.get(b"Content-Type")
        yield CrawledPage(
            url=response.url,
            body=response.body,
            status=response.status,
            content_type=content_type.decode("latin-1") if content_type else None,
            feed_updated=response.meta.get("feed_updated"),
            sitemap_lastmod=response.meta.get("sitemap_lastmod"),
        )

    @accounted
    def post_failed(self, failure: Any) -> Iterator[RejectedPage]:
        request = failure.request
        if is_robots_refusal(failure):
            self.crawler.stats.inc_value("posts/robots_forbidden")
            return
        reason = describe_failure(failure)
        self.crawler.stats.inc_value("posts/failed")
        self.ledger.error(request.url, f"post {request.url}: {reason}")
        response = failure_response(failure)
        content_type = response.headers.get(b"Content-Type") if response is not None else None
        yield RejectedPage(
            url=request.url,
            reason=reason,
            body=response.body if response is not None else b"",
            status=response.status if response is not None else None,
            content_type=content_type.decode("latin-1") if content_type else None,
        )
