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
from sqlalchemy.exc import SQLAlchemyError

from crawler.crawl_options import (
    CrawlOptionError,
    CrawlOptions,
    UnknownCrawlOption,
    check_argument_names,
    parse_crawl_arguments,
    split_blogs,
)
from crawler.discovery.pager import BlogPage, read_blog_page
from crawler.distributed.start_jobs import StartJob
from crawler.extensions.database import CrawlDatabase
from crawler.extensions.run_record import RunLedger
from crawler.spiders.blog_plan import RECRAWL_OVERLAP, BlogTarget
from crawler.spiders.distributed_plan import accounted
from crawler.spiders.failures import describe_failure
from crawler.spiders.feed_routing import FeedRouting
from crawler.urls import canonical_host
from storage.database import error_summary

logger = logging.getLogger(__name__)


class BloggerSpider(FeedRouting, scrapy.Spider):
    """Crawls the blogs named by the ``blogs`` argument (see :mod:`crawler.crawl_options`).

    This class opens each blog (arguments, start requests, home page, the blog's target); the
    routes after the home page live in mixins, each in its own module: post and comments feeds
    (:mod:`~crawler.spiders.feed_routing`), sitemaps (:mod:`~crawler.spiders.sitemap_routing`),
    the pager fallback (:mod:`~crawler.spiders.pager_routing`), post requests and pages
    (:mod:`~crawler.spiders.post_fetching`) and the distributed side
    (:mod:`~crawler.spiders.shared_frontier`).
    """

    name = "blogger"

    def __init__(
        self,
        options: CrawlOptions | None = None,
        *,
        worker_only: bool = False,
        **arguments: Any,
    ) -> None:
        """Take validated ``options`` (``blogingest crawl``), else read ``scrapy crawl -a`` strings.

        The strings go through the one validator (:func:`parse_crawl_arguments`): a bad value,
        or a name no crawl takes, is refused in one line before any request.
        """
        super().__init__()
        if options is not None and not isinstance(options, CrawlOptions):
            raise UnknownCrawlOption(
                "unknown crawl argument 'options' (spider arguments are named one by one)",
                option="options",
            )
        if worker_only:
            # A distributed worker started without blogs only serves the shared queue.
            check_argument_names(arguments)
            options = CrawlOptions(blogs=())
        elif options is None:
            options = parse_crawl_arguments(arguments)
        elif arguments:
            check_argument_names(arguments)
            raise CrawlOptionError(
                f"crawl arguments {sorted(arguments)} given beside options", option="options"
            )
        self.options: CrawlOptions = options
        self.targets: dict[str, BlogTarget] = {}
        self.home_pages: dict[str, BlogPage] = {}
        self.target_runs: dict[str, int] = {}
        self.plans: dict[str, dict[str, Any]] = {}
        self.opened_runs: dict[str, int] = {}
        """Distributed mode: the runs this process opened, by start URL."""
        """Distributed mode: the run each cached target belongs to (rebuilt on a new run)."""

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> BloggerSpider:
        given = kwargs.get("options")
        if (
            crawler.settings.getbool("BLOGINGEST_DISTRIBUTED")
            and not (isinstance(given, CrawlOptions) and given.blogs)
            and not split_blogs(kwargs.get("blogs"))
        ):
            kwargs["worker_only"] = True
        spider: BloggerSpider = super().from_crawler(crawler, *args, **kwargs)
        # Refused before any request, as `blogingest crawl` does: a crawl into a database it
        # cannot write would fetch pages only to lose them (crawler.commands.crawl says why).
        CrawlDatabase.for_crawler(crawler).check()
        ledger = RunLedger.for_crawler(crawler)
        ledger.given_run_id = spider.options.run_id
        ledger.trigger = spider.options.trigger
        return spider

    async def start(self) -> AsyncIterator[Request]:
        for start_url in self.options.blogs:
            if self.distributed:
                job = StartJob.for_blog(self.options, start_url)
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
            # Not yet a failure: the run fails as not a Blogger blog only if no route finds
            # a post either (RunLedger.finish).
            logger.info("%s shows no Blogger signal; trying its feed anyway", response.url)
        run_id = response.meta.get("run_id")
        try:
            blog = self.ledger.resolve(start_url, response.url, run_id)
            job = response.meta.get("job")
            target = self._target(start_url, response.url, blog.blog_url, blog.last_success, job)
            target.blogger_id = page.blog_id
        except SQLAlchemyError as error:
            # Without its run record and stored state the blog cannot be crawled correctly;
            # it fails (one line, its run says why) and the other blogs go on.
            where = self.ledger.database.redacted_url
            message = f"database {where} unusable when opening the blog: {error_summary(error)}"
            logger.error("%s: %s", start_url, message)
            self.ledger.error(start_url, message, fatal=True)
            self.crawler.stats.inc_value("blogs/failed")
            return
        self.home_pages[start_url] = page
        blog.blogger_markup = page.is_blogger
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

    def _target(
        self,
        start_url: str,
        final_url: str,
        blog_url: str,
        last_success: datetime | None,
        job: CrawlOptions | None = None,
    ) -> BlogTarget:
        """Build the blog's target after its home page; ``job``: a distributed job's options."""
        final = urlsplit(final_url)
        start_host = canonical_host(urlsplit(start_url).hostname or "")
        options = job if job is not None else self.options
        full = options.full
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
            max_posts=options.max_posts,
            include_pages=options.include_pages,
        )
        self._load_recrawl_state(target, full=full)
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
