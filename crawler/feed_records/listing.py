"""Which posts a blog's post feed listed, and which stored posts are therefore gone.

Pure code over parsed feed pages (:class:`~crawler.discovery.feed.FeedPage`); no Scrapy, no
storage. A deletion is decided in two steps, and both must agree:

1. :func:`deletion_candidates`: stored posts a **complete** :class:`FeedListing` does not
   list. Complete means the feed was read whole (not filtered by ``updated-min``, a label or a
   query), every page arrived and parsed, no paging bound was hit, every entry named its post,
   and the distinct entries read equal the feed's ``openSearch:totalResults`` (the same on
   every page). Anything less gives no candidate at all: a listing cut short would make every
   post it missed look deleted.
2. :func:`deleted_post_urls`: the candidates whose own page now answers 404 or 410. Any other
   answer (200, a redirect's end, 5xx, a timeout) keeps the post live.

URLs are compared in identity form (:func:`crawler.urls.canonical_url`): scheme, ``?m=1`` and
country hosts do not matter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl, urlsplit

from crawler.discovery.feed import FeedPage, entry_key
from crawler.urls import PageKind, canonical_url, page_kind

GONE_STATUSES = frozenset({404, 410})
"""The only answers of a post page that say the post is deleted."""

# Query parameters that make a feed list a subset of the blog's posts.
_FILTERS = frozenset({"updated-min", "updated-max", "published-min", "published-max", "q"})


class FeedListing:
    """What one read of a blog's post feed listed, page by page (see the module docstring).

    Feed the pages in with :meth:`add_page`, say what went wrong with :meth:`page_failed` or
    :meth:`bound_hit`, and :meth:`finish` when paging ended normally. Holds only strings and
    numbers, so it can travel in a request's meta to whichever worker reads the next page.
    """

    def __init__(self, feed_url: str) -> None:
        self.feed_url = feed_url
        self.urls: set[str] = set()
        """Identity URLs (:func:`~crawler.urls.canonical_url`) of the posts listed so far."""
        self.keys: set[str] = set()
        self.totals: set[int] = set()
        self.pages = 0
        self.finished = False
        self.problem: str | None = _filter_of(feed_url)

    def add_page(self, page: FeedPage) -> None:
        """Record the entries of one feed page and the total it announces."""
        self.pages += 1
        if page.total_results is None:
            self._fail(f"feed page {page.url} gives no openSearch:totalResults")
        else:
            self.totals.add(page.total_results)
        for entry in page.entries:
            self.keys.add(entry_key(entry))
            try:
                self.urls.add(canonical_url(entry.url or ""))
            except ValueError:
                self._fail(f"feed page {page.url} lists an entry without a usable link")

    def page_failed(self, url: str, why: str) -> None:
        """Record that a feed page could not be read: the listing stays incomplete."""
        self._fail(f"feed page {url} failed: {why}")

    def bound_hit(self, reason: str) -> None:
        """Record that paging stopped at a bound before the feed's end (stays incomplete)."""
        self._fail(f"feed paging stopped: {reason}")

    def finish(self) -> None:
        """Record that paging reached the feed's end normally."""
        self.finished = True

    @property
    def incomplete_reason(self) -> str | None:
        """Why the listing is not the whole blog (one line); ``None`` when it is complete."""
        if self.problem is not None:
            return self.problem
        if not self.finished:
            return "feed paging did not reach its end"
        if len(self.totals) != 1:
            return f"feed pages announced different totalResults {sorted(self.totals)}"
        (total,) = self.totals
        if len(self.keys) != total:
            return f"feed listed {len(self.keys)} entries, its totalResults is {total}"
        return None

    @property
    def complete(self) -> bool:
        """Whether every post of the blog's feed was listed (see the module docstring)."""
        return self.incomplete_reason is None

    def _fail(self, reason: str) -> None:
        if self.problem is None:  # the first reason is the one to report
            self.problem = reason


def _filter_of(feed_url: str) -> str | None:
    parts = urlsplit(feed_url)
    if "/-/" in parts.path:
        return "feed read for a label (a part of the blog, not all of it)"
    for key, _ in parse_qsl(parts.query):
        if key.lower() in _FILTERS:
            return f"feed read with {key} (a part of the blog, not all of it)"
    return None


def deletion_candidates(listing: FeedListing, stored_urls: Iterable[str]) -> list[str]:
    """Return the stored post URLs a complete ``listing`` does not list, sorted.

    ``stored_urls`` are the blog's live stored posts (any URL form; each is returned as
    given). Static pages (``/p/...``) are never in the post feed and are never candidates;
    nor is a URL that is not a post's. An incomplete listing gives none.
    """
    if not listing.complete:
        return []
    candidates: list[str] = []
    for url in stored_urls:
        try:
            key = canonical_url(url)
        except ValueError:
            continue
        if page_kind(key) is PageKind.POST and key not in listing.urls:
            candidates.append(url)
    return sorted(candidates)


def deleted_post_urls(candidates: Iterable[str], statuses: Mapping[str, int | None]) -> list[str]:
    """Return the ``candidates`` whose page answered 404 or 410, in candidate order.

    ``statuses`` maps a candidate URL to the HTTP status its page answered (``None``: no
    answer); a candidate missing from it was not checked and stays live.
    """
    return [url for url in candidates if statuses.get(url) in GONE_STATUSES]
