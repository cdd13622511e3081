"""The home route: a blog's first request, and its target once the home page answered.

The home page may follow a 301 to a custom domain: the blog is known by its final host. Its
run record is opened (or adopted) and what storage knows of the blog is loaded into a new
:class:`BlogTarget`; then the post feed is asked for and, in a full crawl, the sitemaps
alongside it (feed-first: after it). A home page that fails fails its blog's run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from typing import Any

from scrapy.http import Request, Response
from sqlalchemy.exc import SQLAlchemyError

from crawler.crawl_options import CrawlOptions
from crawler.discovery.pager import read_blog_page
from crawler.extensions.run_record import RunLedger
from crawler.feed_first import Source
from crawler.spiders.blog_requests import BlogRequests
from crawler.spiders.blog_runs import BlogOpening
from crawler.spiders.blog_targets import BlogTargets
from crawler.spiders.failures import describe_failure
from crawler.spiders.feed_route import PostFeedRoute
from crawler.spiders.sitemap_route import SitemapRoute
from storage.database import error_summary

logger = logging.getLogger(__name__)

PRIORITY = 30


class HomeRoute:
    """A blog's home page: the start of its run."""

    name = "home"

    def __init__(
        self,
        crawler: Any,
        options: CrawlOptions,
        ledger: RunLedger,
        targets: BlogTargets,
        requests: BlogRequests,
        feed: PostFeedRoute,
        sitemaps: SitemapRoute,
        source: Source = Source.AUTO,
    ) -> None:
        self.crawler = crawler
        self.options = options
        """The crawl's options: a blog's own unless its run came as a distributed job."""
        self.ledger = ledger
        self.targets = targets
        self.requests = requests
        self.feed = feed
        self.sitemaps = sitemaps
        self.source = source
        """Where post records come from (``-a source=``/``BLOGINGEST_SOURCE``), unless a
        distributed job says."""

    def request(self, start_url: str, opening: BlogOpening) -> Request:
        """Return the request that opens the blog of ``start_url`` (its run registered)."""
        return self.requests.request(
            self.name,
            start_url,
            meta={"blog_start": start_url, "allow_offsite": True, **opening.meta},
            priority=PRIORITY,
            dont_filter=opening.refetch,
        )

    def parse(self, response: Response) -> Iterator[Request]:
        start_url = response.meta["blog_start"]
        page = read_blog_page(response.url, response.body)
        if not page.is_blogger:
            # Not yet a failure: the run fails as not a Blogger blog only if no route finds
            # a post either (RunLedger.finish).
            logger.info("%s shows no Blogger signal; trying its feed anyway", response.url)
        run_id = response.meta.get("run_id")
        options = self._blog_options(response.meta)
        try:
            blog = self.ledger.resolve(start_url, response.url, run_id)
            target = self.targets.open(
                start_url,
                response.url,
                blog_url=blog.blog_url,
                last_success=blog.last_success,
                full=options.full,
                max_posts=options.max_posts,
                include_pages=options.include_pages,
                run_id=run_id,
                source=self._blog_source(response.meta),
                comments=options.comments,
            )
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
        target.home = page
        blog.blogger_markup = page.is_blogger
        logger.info(
            "%s: %s crawl%s",
            target.blog_url,
            "incremental" if target.since else "full",
            f" of posts updated since {target.since.isoformat()}" if target.since else "",
        )
        yield self.feed.start(target)
        if target.since is None and target.source == Source.PAGES.value:
            # A full crawl from pages has nothing to reconcile: read the sitemap alongside the
            # feed, so discovery is not bound to the feed's sequential paging. Feed-first reads
            # it after the feed (after_feed): it then only adds what the feed did not give.
            yield from self.sitemaps.start(target)

    def _blog_options(self, meta: Mapping[str, Any]) -> CrawlOptions:
        """Return the crawl options of the blog of a home request.

        A distributed job carries its own (``StartJob.options``); a local crawl's blogs share
        the crawl's.
        """
        job: CrawlOptions | None = meta.get("job")
        return job if job is not None else self.options

    def _blog_source(self, meta: Mapping[str, Any]) -> str:
        """Return where the blog's records come from: its job's ``source``, else the crawl's."""
        job: CrawlOptions | None = meta.get("job")
        return (job.source if job is not None else None) or self.source.value

    def failed(self, failure: Any) -> Iterator[Request]:
        start_url = failure.request.meta["blog_start"]
        self.ledger.error(
            start_url, f"home page {start_url}: {describe_failure(failure)}", fatal=True
        )
        self.crawler.stats.inc_value("blogs/failed")
        return iter(())
