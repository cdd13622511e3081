"""Storage: typed SQLAlchemy 2.0 models, Alembic migrations and idempotent batched writes.

Nothing here creates an engine or touches a database at import time. Data functions take a
``Session`` and never commit: the caller owns the transaction (``with factory.begin() as s:``).
This package imports neither Scrapy nor the parser; only the pure ``crawler.items`` and
``crawler.urls``.
"""
