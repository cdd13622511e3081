"""A dry run (``blogingest crawl URL --list``): discovery runs, no post page is fetched.

On when ``BLOGINGEST_DRY_RUN`` is set. This spider middleware lets the discovery requests
through (home page, feeds, sitemaps, listings) and takes out every post request the spider
decided to make: its URL is what a run would fetch. Items are taken out too (comment-count
refreshes), and the run ledger writes no run record in a dry run, so nothing is stored.
When the crawl closes it prints each URL a run would fetch on stdout, one a line, and one
line per blog on stderr: posts found, how many a run would fetch, how many it would skip.
"""

from __future__ import annotations

import sys
from typing import IO, Any

from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from crawler.extensions.run_record import RunLedger
from crawler.spiders.blog_requests import ROUTE_META
from crawler.spiders.post_route import PostRoute


class DryRunMiddleware(BaseSpiderMiddleware):
    def __init__(self, crawler: Any, out: IO[str] | None = None, err: IO[str] | None = None):
        super().__init__(crawler)
        self.would_fetch: list[str] = []
        self.out = out or sys.stdout
        self.err = err or sys.stderr

    @classmethod
    def from_crawler(cls, crawler: Any) -> DryRunMiddleware:
        if not crawler.settings.getbool("BLOGINGEST_DRY_RUN"):
            raise NotConfigured  # no message: Scrapy would log one as a warning
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def get_processed_request(self, request: Request, response: Any) -> Request | None:
        if request.meta.get(ROUTE_META) != PostRoute.name:
            return request
        self.would_fetch.append(request.url)
        self.crawler.stats.inc_value("dry_run/would_fetch")
        return None

    def get_processed_item(self, item: Any, response: Any) -> Any:
        return None  # nothing is stored in a dry run

    def spider_closed(self, spider: Any) -> None:
        for url in self.would_fetch:
            print(url, file=self.out)
        self.out.flush()
        ledger = RunLedger.for_crawler(self.crawler)
        for blog in ledger.blogs.values():
            self.err.write(dry_run_summary(blog, self._fetches_of(ledger, blog)) + "\n")
        self.err.flush()

    def _fetches_of(self, ledger: RunLedger, blog: Any) -> int:
        return sum(1 for url in self.would_fetch if ledger.blog_for(url) is blog)


def dry_run_summary(blog: Any, fetches: int) -> str:
    """``URL: found 61 posts; a run would fetch 58, skip 3 (unchanged); nothing stored``."""
    if blog.failed or blog.status not in (None, "success"):
        reason = blog.errors[0] if blog.errors else blog.status
        return f"{blog.blog_url}: {blog.status or 'failed'}: {reason}"
    found = blog.counts["found"]
    skipped = found - fetches
    why = f", skip {skipped} (unchanged since the last run, or over --max-posts)" if skipped else ""
    return f"{blog.blog_url}: found {found} posts; a run would fetch {fetches}{why}; nothing stored"
