"""The crawl's own items, passed from its spider to its pipelines.

``crawler.items`` holds the items every stage shares, parsing and storage included; these
carry what only the crawl knows: the feed's view of a post (its exact ``updated`` time) and
comment counts refreshed without refetching a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from crawler.feed_records import ParsedEntry, PostEntry
from crawler.items import FetchedPage


@dataclass(kw_only=True)
class CrawledPage(FetchedPage):
    """A fetched post page plus what discovery said about it."""

    feed_updated: datetime | None = None
    """The feed entry's ``updated`` (exact, with milliseconds); overrides the page's value so
    the next crawl compares like with like. ``None`` when the post was not found in a feed."""

    sitemap_lastmod: datetime | None = None
    """The sitemap's ``lastmod`` (seconds); fills ``updated`` only when the page shows none."""

    blog_hosts: frozenset[str] = frozenset()
    """Canonical hosts of the blog being crawled: a canonical URL the page gives for itself
    is believed only on one of them (empty: not checked)."""

    blog_id: str | None = None
    """The crawled blog's Blogger id, as its home page gave it (``None``: unknown)."""


@dataclass(kw_only=True)
class CrawledEntry(CrawledPage):
    """A post built from its post-feed entry (feed-first, docs/feeds.md), not from its page.

    ``url`` is the post's URL, ``body`` the raw entry (:attr:`PostEntry.raw`) and
    ``content_type`` its media type: the parse stage gives the same record from these bytes
    as from ``entry`` (which only spares it reading them again: the crawl passes the entry
    as its triage judged it, its content parsed once), and they are kept as the post's raw
    page, so ``reparse`` works on feed-built posts.
    """

    entry: PostEntry | ParsedEntry | None = None


@dataclass(kw_only=True)
class CommentCountRefresh:
    """New comment counts (``thr:total``) of stored posts whose pages were not refetched."""

    source_url: str
    """The feed page the counts came from (routes the record to its blog's run)."""

    counts: dict[str, int | None] = field(default_factory=dict)
    """Canonical post URL → comment count (``None``: comments off)."""
