"""The spider's sitemap route: ``/sitemap.xml`` (and ``/sitemap-pages.xml``) after the feeds.

A full crawl reads the sitemap alongside the feed; an incremental one reads it last, so it
only adds what the feeds did not list. Sitemap indexes are followed to their child sitemaps.
A missing or unreadable sitemap is no error: the feed is the source.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from scrapy.http import Request, Response

from crawler.discovery.sitemap import SitemapFormatError, parse_sitemap
from crawler.spiders.blog_plan import BlogTarget, decide
from crawler.spiders.crawl_bounds import SITEMAP_MAX_CHILDREN, report_bound
from crawler.spiders.distributed_plan import accounted
from crawler.spiders.failures import describe_failure
from crawler.spiders.post_fetching import PostFetching

logger = logging.getLogger(__name__)


class SitemapRouting(PostFetching):
    """Mixin of :class:`~crawler.spiders.blogger.BloggerSpider`: sitemap requests."""

    def _sitemap_requests(self, target: BlogTarget) -> Iterator[Request]:
        """Yield the blog's sitemap requests, once per target (later calls yield nothing)."""
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

    @accounted
    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        target = self._target_of(response.meta)
        try:
            sitemap = parse_sitemap(response.url, response.body)
        except SitemapFormatError as error:
            logger.info("no usable sitemap: %s", error)
            return
        self.crawler.stats.inc_value("discovery/sitemap_pages")
        limit = self.crawler.settings.getint(
            "BLOGINGEST_SITEMAP_MAX_CHILDREN", SITEMAP_MAX_CHILDREN
        )
        for index, child in enumerate(sitemap.children):
            url = target.fetch_url(child)
            if url is None:
                continue
            if target.sitemap_children >= limit:
                left = len(sitemap.children) - index
                reason = (
                    f"sitemap children: {limit} read (BLOGINGEST_SITEMAP_MAX_CHILDREN), "
                    f"{left} more listed by {response.url} not read"
                )
                report_bound(self.crawler, target.start_url, reason)
                break
            target.sitemap_children += 1
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
