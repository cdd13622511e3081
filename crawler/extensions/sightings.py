"""Posts that discovery listed in this crawl but whose pages were not refetched.

The spider adds each such post (decided unchanged, or answered ``304 Not Modified``); the store
pipeline takes them with every batch it writes and moves their ``last_seen_at``
(``storage.repository.mark_seen``, one ``UPDATE`` per batch of URLs). Without this a recrawl
only moved ``last_seen_at`` of the posts it refetched, although discovery saw them all.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

_BY_CRAWLER: WeakKeyDictionary[Any, PostSightings] = WeakKeyDictionary()


class PostSightings:
    """Canonical URLs of posts seen but not refetched, waiting to be written (reactor thread).

    Bounded by what discovery lists (itself bounded); emptied by every :meth:`take`.
    """

    def __init__(self) -> None:
        self._urls: set[str] = set()

    @classmethod
    def for_crawler(cls, crawler: Any) -> PostSightings:
        """Return the crawl's shared instance, creating it once."""
        found = _BY_CRAWLER.get(crawler)
        if found is None:
            found = _BY_CRAWLER[crawler] = cls()
        return found

    def add(self, url: str) -> None:
        """Record that discovery listed the post at ``url`` in this crawl."""
        self._urls.add(url)

    def __len__(self) -> int:
        return len(self._urls)

    def take(self) -> set[str]:
        """Return the URLs recorded since the last call, and forget them."""
        taken, self._urls = self._urls, set()
        return taken
