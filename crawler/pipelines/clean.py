"""Item pipeline stage that cleans each :class:`~crawler.items.BlogPost` (Scrapy 2.19 API).

Comments-feed listings (:class:`~crawler.items.PostComments`, alone or a page's
:class:`~crawler.crawl_items.CommentListings`) are cleaned here too, as a post's page thread
is (:func:`crawler.cleaning.comments.clean_comments`).
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from crawler.cleaning import CleaningReport, clean_post
from crawler.cleaning.comments import clean_comments
from crawler.crawl_items import CommentListings
from crawler.items import BlogPost, PostComments

logger = logging.getLogger(__name__)

STAT_PREFIX = "clean/"
"""Prefix of every stats key this stage writes (``clean/posts``, ``clean/boilerplate_removed``)."""


class CleanPostPipeline:
    """Replace each ``BlogPost`` item by its cleaned copy; pass every other item through.

    Counts in ``crawler.stats``: ``clean/posts`` (posts cleaned), ``clean/mojibake_repaired``,
    ``clean/paragraphs_deduplicated``, ``clean/boilerplate_removed`` and
    ``clean/empty_paragraphs_removed`` (each a number of paragraphs or fields),
    ``clean/empty_body`` (posts left with no paragraph) and ``clean/failed``. Items are never
    dropped here: a post that cleaning fails on (a bug, not bad input) is logged with its URL
    and passed on uncleaned, so the crawl keeps it.
    """

    def __init__(self, stats: Any) -> None:
        self._stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> CleanPostPipeline:
        """Build the stage with the crawler's stats collector."""
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        """Return the cleaned copy of a ``BlogPost`` or comment listings, else ``item``."""
        if isinstance(item, PostComments):
            return self._clean_listing(item)
        if isinstance(item, CommentListings):
            listings = [self._clean_listing(listing) for listing in item.listings]
            return dataclasses.replace(item, listings=listings)
        if not isinstance(item, BlogPost):
            return item
        try:
            report = CleaningReport()
            cleaned = clean_post(item, report=report)
        except Exception as error:  # keep the post: a cleaning bug must not lose crawled data
            logger.warning("cleaning failed for %s, kept uncleaned: %r", item.url, error)
            self._count("failed", 1)
            return item
        self._count("posts", 1)
        self._count("mojibake_repaired", report.mojibake_repaired)
        self._count("paragraphs_deduplicated", report.paragraphs_deduplicated)
        self._count("boilerplate_removed", report.boilerplate_removed)
        self._count("empty_paragraphs_removed", report.empty_removed)
        if not cleaned.body_paragraphs:
            self._count("empty_body", 1)
        return cleaned

    def _clean_listing(self, listing: PostComments) -> PostComments:
        report = CleaningReport()
        try:
            comments = clean_comments(listing.comments, report=report)
        except Exception as error:  # keep the comments: a cleaning bug must not lose them
            logger.warning("cleaning failed for comments of %s: %r", listing.post_url, error)
            self._count("failed", 1)
            return listing
        self._count("comments", len(comments))
        self._count("mojibake_repaired", report.mojibake_repaired)
        return dataclasses.replace(listing, comments=comments)

    def _count(self, name: str, count: int) -> None:
        if count:  # only keys that happened, so a stats dump shows what cleaning did
            self._stats.inc_value(STAT_PREFIX + name, count)
