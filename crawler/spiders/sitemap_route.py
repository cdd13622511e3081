"""The sitemap route: ``/sitemap.xml`` (and ``/sitemap-pages.xml``) after the feeds.

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
from crawler.spiders.blog_requests import BlogRequests
from crawler.spiders.blog_targets import BlogTargets
from crawler.spiders.crawl_bounds import SITEMAP_MAX_CHILDREN, report_bound
from crawler.spiders.failures import describe_failure
from crawler.spiders.post_route import PostRoute

logger = logging.getLogger(__name__)

PRIORITY = 10


class SitemapRoute:
    """Sitemap requests; their post URLs go to the post route."""

    name = "sitemap"

    def __init__(
        self,
        crawler: Any,
        targets: BlogTargets,
        requests: BlogRequests,
        posts: PostRoute,
        *,
        max_children: int = SITEMAP_MAX_CHILDREN,
    ) -> None:
        self.crawler = crawler
        self.targets = targets
        self.requests = requests
        self.posts = posts
        self.max_children = max_children
        """Child sitemaps read per blog and run (``BLOGINGEST_SITEMAP_MAX_CHILDREN``)."""

    def start(self, target: BlogTarget) -> Iterator[Request]:
        """Yield the blog's sitemap requests, once per target (later calls yield nothing)."""
        if target.sitemaps_requested:
            return
        target.sitemaps_requested = True
        yield self.requests.for_blog(
            self.name, target, target.url_on_blog("/sitemap.xml"), priority=PRIORITY
        )
        if target.include_pages:
            yield self.requests.for_blog(
                self.name, target, target.url_on_blog("/sitemap-pages.xml"), priority=PRIORITY
            )

    def parse(self, response: Response) -> Iterator[Request]:
        target = self.targets.of(response.meta)
        try:
            sitemap = parse_sitemap(response.url, response.body)
        except SitemapFormatError as error:
            logger.info("no usable sitemap: %s", error)
            return
        self.crawler.stats.inc_value("discovery/sitemap_pages")
        limit = self.max_children
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
            yield self.requests.for_blog(self.name, target, url, priority=PRIORITY)
        for entry in sitemap.urls:
            decision, url = decide(target, entry.loc, entry.lastmod, exact=False)
            yield from self.posts.discovered(target, decision, url, sitemap_lastmod=entry.lastmod)

    def failed(self, failure: Any) -> Iterator[Request]:
        # Many blogs have no sitemap, or a robots.txt that hides it: the feed is the source.
        logger.info("sitemap %s: %s", failure.request.url, describe_failure(failure))
        return iter(())
