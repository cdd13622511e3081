"""Bounds on what one blog's crawl may ask of its server, and how a bound that is hit is said.

A hostile or broken server can page forever, list endless child sitemaps or invent post URLs
without end. Every such loop is bounded; a bound that is hit fails the blog's run with a run
error naming it (never a silent truncation, never a hang). The per-blog request budget is
enforced by :class:`crawler.middlewares.budget.RequestBudgetMiddleware`; the feed paging
bounds by :func:`crawler.discovery.feed.paging_stop`; the sitemap bound here.
"""

from __future__ import annotations

import logging
from typing import Any

from crawler.extensions.run_record import RunLedger

logger = logging.getLogger(__name__)

SITEMAP_MAX_CHILDREN = 1000
"""Default of ``BLOGINGEST_SITEMAP_MAX_CHILDREN``: child sitemaps read per blog and run.
Blogger's children list 150 posts each: 1,000 cover 150,000 posts, more than any blog has."""


def report_bound(crawler: Any, start_url: str, reason: str) -> None:
    """Record that a bound was hit on the blog of ``start_url``: its run fails, naming it."""
    crawler.stats.inc_value("bounds/hit")
    logger.error("%s: bound hit: %s", start_url, reason)
    RunLedger.for_crawler(crawler).error(start_url, f"bound hit: {reason}", fatal=True)
