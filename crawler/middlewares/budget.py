"""A request budget per blog and run: no blog's crawl can ask its server for more than that.

A spider middleware: every request a callback yields (and every start request) that carries a
``blog_start`` is counted against its blog. The budget is ``BLOGINGEST_REQUEST_BUDGET`` plus
``BLOGINGEST_REQUEST_BUDGET_PER_POST`` for each post the blog announces (its feed's
``totalResults``, or the posts stored for it when more; at most :data:`ANNOUNCED_POSTS_CAP`).
Requests past it are not made; the first one fails the blog's run with an error naming the
budget, and ``budget/dropped`` counts them all. Redirects and retries are not counted
(bounded by their own settings). In distributed mode each worker keeps its own count.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from crawler.spiders.crawl_bounds import report_bound

REQUEST_BUDGET = 1000
"""Default of ``BLOGINGEST_REQUEST_BUDGET``: requests any blog may make, whatever its size."""

REQUEST_BUDGET_PER_POST = 4
"""Default of ``BLOGINGEST_REQUEST_BUDGET_PER_POST``: a post page, its share of feed and
sitemap pages, and room for the comments feed."""

ANNOUNCED_POSTS_CAP = 1_000_000
"""A feed's ``totalResults`` is the server's word: beyond this (ten times the largest blogs
seen) it raises the budget no further."""


class RequestBudgetMiddleware(BaseSpiderMiddleware):
    """Drops a blog's requests past its budget (see the module docstring)."""

    def __init__(self, crawler: Any, base: int, per_post: int) -> None:
        super().__init__(crawler)
        self.base = base
        self.per_post = per_post
        self.spent: dict[tuple[str, Any], int] = {}
        """Requests made per (blog start URL, run id)."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> RequestBudgetMiddleware:
        settings = crawler.settings
        return cls(
            crawler,
            settings.getint("BLOGINGEST_REQUEST_BUDGET", REQUEST_BUDGET),
            settings.getint("BLOGINGEST_REQUEST_BUDGET_PER_POST", REQUEST_BUDGET_PER_POST),
        )

    def budget_for(self, start_url: str) -> int:
        """Return the blog's budget now (it grows once the feed announces the blog's size)."""
        targets = getattr(self.crawler.spider, "targets", None) or {}
        target = targets.get(start_url)
        # Stored posts count too: an incremental feed announces only what changed.
        size = max(target.announced_posts, len(target.known)) if target else 0
        announced = min(size, ANNOUNCED_POSTS_CAP)
        return self.base + self.per_post * announced

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        start_url = request.meta.get("blog_start")
        if start_url is None:
            return request
        key = (start_url, request.meta.get("run_id"))
        spent = self.spent.get(key, 0)
        budget = self.budget_for(start_url)
        if spent < budget:
            self.spent[key] = spent + 1
            return request
        self.crawler.stats.inc_value("budget/dropped")
        if spent == budget:
            self.spent[key] = spent + 1  # said once per blog and run
            reason = (
                f"request budget of {budget} requests spent (BLOGINGEST_REQUEST_BUDGET"
                f" {self.base} + {self.per_post} per announced post); later requests not made"
            )
            report_bound(self.crawler, start_url, reason)
        return None
