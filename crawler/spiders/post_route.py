"""The post route: whether a discovered post is fetched, and what its page becomes.

Every discovery route (feeds, sitemaps, pager) hands each link's :func:`decide` verdict to
:meth:`PostRoute.discovered`; a fetched page becomes a :class:`CrawledPage` item for the
pipelines, a failed one a :class:`RejectedPage` (robots.txt refusals are not failures).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from scrapy.http import Request, Response

from crawler.crawl_items import CrawledPage
from crawler.extensions.run_record import RunLedger
from crawler.extensions.sightings import PostSightings
from crawler.items import FetchedPage, RejectedPage, RejectKind
from crawler.spiders.blog_plan import BlogTarget, Decision
from crawler.spiders.blog_requests import BlogRequests
from crawler.spiders.blog_runs import BlogRunAccounting
from crawler.spiders.blog_targets import BlogTargets
from crawler.spiders.failures import (
    describe_failure,
    failure_response,
    is_robots_refusal,
    requested_url,
)
from crawler.urls import canonical_url


class PostRoute:
    """Post requests and post pages."""

    name = "post"

    def __init__(
        self,
        crawler: Any,
        ledger: RunLedger,
        targets: BlogTargets,
        requests: BlogRequests,
        runs: BlogRunAccounting,
    ) -> None:
        self.crawler = crawler
        self.ledger = ledger
        self.targets = targets
        self.requests = requests
        self.runs = runs

    def discovered(
        self,
        target: BlogTarget,
        decision: str,
        url: str | None,
        *,
        feed_updated: datetime | None = None,
        sitemap_lastmod: datetime | None = None,
    ) -> Iterator[Request]:
        """Count a discovered post by its ``decision``; yield its request when it is fetched."""
        stats = self.crawler.stats
        if decision in (Decision.SEEN, Decision.OFFSITE) or url is None:
            return
        if not self.runs.first_sighting(target, url):
            return  # distributed: another worker already decided this post in this run
        stats.inc_value("discovery/posts_found")
        self.ledger.count(url, "found")
        if decision == Decision.UNCHANGED:
            stats.inc_value("posts/unchanged_skipped")
            self.ledger.count(url, "unchanged")
            PostSightings.for_crawler(self.crawler).add(url)  # seen, though not refetched
            return
        if decision == Decision.REJECTED_BEFORE:
            stats.inc_value("posts/rejected_before_skipped")
            return
        if decision == Decision.OVER_BUDGET or not self.runs.take_fetch(target):
            stats.inc_value("posts/over_budget")
            PostSightings.for_crawler(self.crawler).add(url)  # listed; only not refetched
            return
        yield self.request(target, url, feed_updated=feed_updated, sitemap_lastmod=sitemap_lastmod)

    def request(
        self,
        target: BlogTarget,
        url: str,
        *,
        feed_updated: datetime | None,
        sitemap_lastmod: datetime | None,
    ) -> Request:
        """Return the request for a post to fetch (conditional when the post is stored)."""
        known = canonical_url(url) in target.known
        validators = target.validators.get(url) if known else None
        return self.requests.for_blog(
            self.name,
            target,
            url,
            # Deduped by decide(); dont_filter lets a redirect loop hit REDIRECT_MAX_TIMES and
            # reach the errback instead of being dropped silently by the dupe filter.
            # Distributed: the run-scoped shared seen-set is the one dedupe across workers.
            dont_filter=not self.requests.shared_frontier,
            meta={
                "feed_updated": feed_updated,
                "sitemap_lastmod": sitemap_lastmod,
                # Only stored posts are asked conditionally: a 304 must never hide a post we lack.
                "validators": validators,
                "handle_httpstatus_list": [304] if validators else [],
            },
        )

    def parse(self, response: Response) -> Iterator[CrawledPage]:
        stats = self.crawler.stats
        if response.status == 304:
            stats.inc_value("posts/not_modified")
            self.ledger.count(response.url, "unchanged")
            PostSightings.for_crawler(self.crawler).add(response.url)
            return
        stats.inc_value("posts/fetched")
        self.ledger.count(response.url, "fetched")
        content_type = response.headers.get(b"Content-Type")
        target = self.targets.of(response.meta)
        yield CrawledPage(
            url=response.url,
            body=response.body,
            status=response.status,
            content_type=content_type.decode("latin-1") if content_type else None,
            feed_updated=response.meta.get("feed_updated"),
            sitemap_lastmod=response.meta.get("sitemap_lastmod"),
            blog_hosts=frozenset(target.hosts),
            blog_id=target.blogger_id,
        )

    def failed(self, failure: Any) -> Iterator[RejectedPage]:
        request = failure.request
        if is_robots_refusal(failure):
            self.crawler.stats.inc_value("posts/robots_forbidden")
            return
        reason = describe_failure(failure)
        # A redirect chain is recorded under the post's own URL: the URL it ended on may be
        # off the blog, and would file the failure under no blog (or another one).
        url = requested_url(request)
        self.crawler.stats.inc_value("posts/failed")
        self.ledger.error(url, f"post {url}: {reason}")
        response = failure_response(failure)
        content_type = response.headers.get(b"Content-Type") if response is not None else None
        received = None
        if response is not None:
            received = FetchedPage(
                url=response.url,
                body=response.body,
                status=response.status,
                content_type=content_type.decode("latin-1") if content_type else None,
            )
        yield RejectedPage.of(RejectKind.FETCH_FAILED, reason, url=url, page=received)
