"""Storage: typed SQLAlchemy 2.0 models, Alembic migrations and idempotent batched writes.

Nothing here creates an engine or touches a database at import time. Data functions take a
``Session`` and never commit: the caller owns the transaction (``with factory.begin() as s:``).
No ORM object leaves this package for the crawl: run bookkeeping goes through
:mod:`storage.runs` (plain :class:`~storage.runs.RunRecord` values and statuses).

The boundary rule: storage never imports Scrapy, and of the crawler it imports only the
shared vocabulary, ``crawler.items`` (the records and :class:`~crawler.items.RejectKind`) and
``crawler.urls`` (URL canonicalisation). Everything else the crawl knows (the parser, its
version, the pipelines) is passed in by the caller. ``tests/test_storage_boundary.py`` checks
this rule on every module of the package, migrations included.
"""
