"""One database handle per crawl, shared by the spider, middlewares, pipelines and extensions.

The URL comes from the ``DATABASE_URL`` setting (``blogingest crawl --db``), else the
environment / default data dir (``storage.database.resolve_database_url``). The engine is
built on first use, so a crawl that never stores (a unit test) never opens a database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy.orm import Session, sessionmaker

from storage.database import (
    make_engine,
    make_session_factory,
    open_engine,
    redact_url,
    resolve_database_url,
)

T = TypeVar("T")

_BY_CRAWLER: WeakKeyDictionary[Any, CrawlDatabase] = WeakKeyDictionary()


class CrawlDatabase:
    """Lazily built engine and session factory for one crawl."""

    def __init__(self, url: str | None) -> None:
        self.url = resolve_database_url(url)
        self._factory: sessionmaker[Session] | None = None

    @classmethod
    def for_crawler(cls, crawler: Any) -> CrawlDatabase:
        """Return the crawl's shared handle, creating it from the crawler's settings once."""
        found = _BY_CRAWLER.get(crawler)
        if found is None:
            found = cls(crawler.settings.get("DATABASE_URL") or None)
            _BY_CRAWLER[crawler] = found
        return found

    @property
    def redacted_url(self) -> str:
        """The URL with any password hidden, for messages."""
        return redact_url(self.url)

    @property
    def factory(self) -> sessionmaker[Session]:
        """The session factory (the engine is created on first access)."""
        if self._factory is None:
            self._factory = make_session_factory(make_engine(self.url))
        return self._factory

    def check(self) -> None:
        """Make sure the database is usable before the crawl sends its first request.

        Raises ``DatabaseConfigError`` or ``DatabaseUnavailableError`` (one line naming the
        URL, password hidden) for an unreachable, locked, missing or unmigrated database.
        """
        open_engine(self.url, check=True).dispose()

    def transaction(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one transaction that commits on success and rolls back on error."""
        with self.factory.begin() as session:
            return work(session)

    def dispose(self) -> None:
        """Close pooled connections (at the end of a crawl)."""
        if self._factory is not None:
            bind = self._factory.kw.get("bind")
            if bind is not None:
                bind.dispose()
