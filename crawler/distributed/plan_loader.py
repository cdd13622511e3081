"""Downloader middleware: before any filter looks, make the spider know the request's blog.

In distributed mode a worker may get a blog's feed or post request without having read its
home page. The offsite filter and the callbacks need the blog's target (its hosts, its known
posts); this middleware rebuilds it from ``request.meta["blog_plan"]`` (and the database) the
first time this worker sees the blog in a run. It runs before the offsite middleware.
"""

from __future__ import annotations

from typing import Any


class BlogPlanLoader:
    """Calls ``spider.targets.of(meta)`` for requests carrying a blog plan."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> BlogPlanLoader:
        return cls(crawler)

    def process_request(self, request: Any) -> None:
        """Load the blog of ``request`` into the spider; never changes or drops the request."""
        target_of = getattr(getattr(self.crawler.spider, "targets", None), "of", None)
        if "blog_plan" in request.meta and target_of is not None:
            target_of(request.meta)
