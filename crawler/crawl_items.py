"""The crawl's own items, passed from its spider to its pipelines.

``crawler.items`` holds the items every stage shares, parsing and storage included; these
carry what only the crawl knows: the feed's view of a post (its exact ``updated`` time),
comment counts refreshed without refetching a page, and the comment listings of one page of
the blog-wide comments feed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from crawler.feed_records import ParsedEntry, PostEntry
from crawler.items import FetchedPage, PostComments


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


@dataclass(kw_only=True)
class CommentListings:
    """The :class:`~crawler.items.PostComments` listings of one comments-feed page, one item.

    The blog-wide comments feed lists the comments of many posts a page (150 comments of about
    50 posts on ``benchmarks.feed_first``'s blog), and its whole read ends with one closing
    listing per post. Passed as one item a page rather than one a listing, they are spared
    Scrapy's per-item work (every pipeline stage, the item signals, the dropped-item exception
    of the last stage), which cost more than cleaning and storing a post's few comments. The
    stages treat each listing as they treat a lone ``PostComments`` (a post's own comments
    feed, a page thread).
    """

    source_url: str
    """The comments-feed page the listings were read from."""

    listings: list[PostComments] = field(default_factory=list)
