"""The long threads of a blog's run: posts whose comments their page cannot show whole.

A post page shows at most :data:`PAGE_THREAD_LIMIT` comments. A post this run fetches whose
post-feed count (``thr:total``) passes that needs a comments feed for the rest; when the
blog-wide one is off, its own (:mod:`crawler.spiders.post_comments_route`). Which posts those
are is learnt page by page while the post feed is read, and needed only where the blog-wide
comments feed turns out to be off, maybe in another worker of a distributed crawl. So the list
is never kept in one worker's memory: :class:`LongThreads` travels in the meta
(:data:`LONG_THREADS_META`) of the next post-feed page and of every comments-feed page, as the
deletion check's feed listing does, and the worker that meets the comments feed off reads it
from the request in hand. At most :data:`MAX_LONG_THREADS` posts per blog (the bound is
reported once); only post ids travel, so a request carries at most 220 kB pickled (measured
with 10,000 19-digit ids), and a few bytes for the usual blog with a handful of long threads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

PAGE_THREAD_LIMIT = 200
"""Comments a Blogger post page shows at most; a longer thread needs a feed."""
MAX_LONG_THREADS = 10_000
"""Posts of one blog whose own comments feed is read at most."""
LONG_THREADS_META = "long_threads"
"""The request meta key the run's :class:`LongThreads` travel under."""


@dataclass
class LongThreads:
    """Posts fetched this run whose feed count passes what a page shows, in feed order."""

    post_ids: list[str] = field(default_factory=list)
    overflowed: bool = False
    """Whether a long thread was left out at :data:`MAX_LONG_THREADS` (it keeps its page
    thread)."""

    @classmethod
    def of(cls, meta: Mapping[str, Any]) -> LongThreads:
        """Return the long threads a request carries (none yet: a new, empty list)."""
        found = meta.get(LONG_THREADS_META)
        return found if isinstance(found, LongThreads) else cls()

    def note(self, post_id: str | None, count: int | None) -> bool:
        """Remember ``post_id`` when its feed ``count`` passes what its page can show.

        Returns ``True`` only for the post that first finds the list full: the bound to
        report, once.
        """
        if post_id is None or count is None or count <= PAGE_THREAD_LIMIT:
            return False
        if post_id in self.post_ids:
            return False
        if len(self.post_ids) >= MAX_LONG_THREADS:
            first = not self.overflowed
            self.overflowed = True
            return first
        self.post_ids.append(post_id)
        return False
