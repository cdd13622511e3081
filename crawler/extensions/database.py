"""The crawl's database: the process's one handle on the crawl's ``DATABASE_URL``.

The URL comes from the ``DATABASE_URL`` setting (``blogingest crawl --db`` sets it, already
resolved and checked), else the environment / default data dir. The spider, middlewares,
pipelines and extensions all get the same :class:`storage.database.Database`; it makes its
engine on first use, so a crawl that never stores (a unit test) never opens a database.
"""

from __future__ import annotations

from typing import Any

from storage.database import Database, open_database


def crawl_database(crawler: Any) -> Database:
    """Return the database of ``crawler``'s crawl, unchecked (the spider checks it on start).

    Raises ``storage.database.DatabaseConfigError`` for a ``DATABASE_URL`` that is no usable
    URL.
    """
    return open_database(crawler.settings.get("DATABASE_URL") or None, check=False)
