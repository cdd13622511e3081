"""The deletion check route: are the stored posts a complete feed listing left out gone.

The post feed route hands every page to a :class:`~crawler.feed_records.listing.FeedListing`
(:meth:`DeletionCheckRoute.listing_for`; the listing travels in the next page's meta, so a
distributed worker reading that page carries it on) and, at the feed's end, calls
:meth:`DeletionCheckRoute.check`. That requests the page of each live stored post the listing
does not name (:func:`~crawler.feed_records.listing.deletion_candidates`): at most
``BLOGINGEST_DELETION_CHECKS`` per blog and run, each counted in the blog's request budget.
A page answering 404 or 410 becomes a :class:`~crawler.items.PostGone` item, which the store
pipeline turns into ``posts.deleted_at``; any other answer leaves the post alone. An
incomplete listing checks nothing (the reason is logged and counted).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from scrapy.http import Request, Response
from sqlalchemy.exc import SQLAlchemyError

from crawler.extensions.run_record import RunLedger
from crawler.feed_records.listing import (
    GONE_STATUSES,
    FeedListing,
    deleted_post_urls,
    deletion_candidates,
)
from crawler.items import PostGone
from crawler.spiders.blog_plan import BlogTarget
from crawler.spiders.blog_requests import BlogRequests
from crawler.spiders.blog_targets import BlogTargets
from crawler.spiders.failures import describe_failure
from storage.database import DatabaseUnavailableError, error_summary
from storage.deletions import live_post_urls_of_blog

logger = logging.getLogger(__name__)

DELETION_CHECKS = 200
"""Default of ``BLOGINGEST_DELETION_CHECKS``: post pages checked for deletion per blog and
run. More candidates than this are checked by later runs (the bound is reported)."""

LISTING_META = "feed_listing"
"""The request meta key the post feed's :class:`FeedListing` travels under."""


class DeletionCheckRoute:
    """Asks the pages of stored posts a complete feed listing left out; 404/410 is gone."""

    name = "deletion_check"

    def __init__(
        self, crawler: Any, ledger: RunLedger, targets: BlogTargets, requests: BlogRequests
    ) -> None:
        self.crawler = crawler
        self.ledger = ledger
        self.targets = targets
        self.requests = requests
        self.limit = crawler.settings.getint("BLOGINGEST_DELETION_CHECKS", DELETION_CHECKS)

    @staticmethod
    def listing_for(response: Response) -> FeedListing:
        """Return the listing a post-feed page belongs to (a new one on the feed's first page)."""
        listing = response.meta.get(LISTING_META)
        return listing if isinstance(listing, FeedListing) else FeedListing(response.url)

    def check(self, target: BlogTarget, listing: FeedListing) -> Iterator[Request]:
        """Request the pages of the stored posts a finished ``listing`` left out (bounded)."""
        stats = self.crawler.stats
        reason = listing.incomplete_reason
        if reason is not None:
            stats.inc_value("deletions/listing_incomplete")
            logger.info("%s: no deletion check: %s", target.blog_url, reason)
            return
        try:
            stored = self.ledger.database.transaction(
                lambda session: live_post_urls_of_blog(session, target.blog_url)
            )
        except (SQLAlchemyError, DatabaseUnavailableError) as error:
            # Without the stored posts nothing can be compared: no check this run.
            stats.inc_value("deletions/database_unusable")
            logger.warning(
                "%s: no deletion check: database unusable: %s",
                target.blog_url,
                error_summary(error),
            )
            return
        candidates = deletion_candidates(listing, stored)
        if len(candidates) > self.limit:
            stats.inc_value("deletions/bound_hit")
            self.ledger.error(
                target.start_url,
                f"bound hit: {len(candidates)} stored posts missing from the feed, {self.limit} "
                "checked for deletion (BLOGINGEST_DELETION_CHECKS); later runs check the rest",
            )
            candidates = candidates[: self.limit]
        for url in candidates:
            fetch = target.fetch_url(url)
            if fetch is None:
                continue
            stats.inc_value("deletions/checked")
            yield self.requests.for_blog(
                self.name,
                target,
                fetch,
                # A post page fetched in this run too is asked again.
                dont_filter=True,
                meta={"handle_httpstatus_list": sorted(GONE_STATUSES), "stored_url": url},
            )

    def parse(self, response: Response) -> Iterator[PostGone]:
        url = response.meta["stored_url"]
        if not deleted_post_urls([url], {url: response.status}):
            self.crawler.stats.inc_value("deletions/still_there")
            return
        self.crawler.stats.inc_value("deletions/gone")
        yield PostGone(
            url=url,
            blog_url=self.targets.of(response.meta).blog_url,
            status=response.status,
            checked_at=datetime.now(UTC),
        )

    def failed(self, failure: Any) -> Iterator[PostGone]:
        # No answer is no evidence: the post stays live.
        self.crawler.stats.inc_value("deletions/check_failed")
        logger.info("deletion check %s: %s", failure.request.url, describe_failure(failure))
        yield from ()
