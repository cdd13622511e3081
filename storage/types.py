"""Column types shared by the models."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect
from sqlalchemy.dialects.sqlite import DATETIME as SQLITE_DATETIME
from sqlalchemy.types import TypeDecorator, TypeEngine

SQLITE_TIMESTAMP_FORMAT = (
    "%(year)04d-%(month)02d-%(day)02dT%(hour)02d:%(minute)02d:%(second)02d.%(microsecond)06d+00:00"
)
"""How SQLite stores every timestamp: ISO 8601 in UTC, always with microseconds and
``+00:00`` (``2026-12-06T05:18:36.885660+00:00``).

Fixed width with a ``T``, so text comparison is time order, also against what consumers pass:
``datetime.isoformat()`` of an aware UTC time (with or without microseconds) and the export's
own values. SQLite's date functions read it too. (SQLAlchemy's default, with a space, sorts
before any ``T`` string of the same day and made ``>`` polls miss rows.)
"""


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware (UTC), on SQLite too.

    Refuses naive datetimes with ``ValueError``: a naive value's zone is unknowable, and
    guessing would silently shift times. On SQLite the text is
    :data:`SQLITE_TIMESTAMP_FORMAT`.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            sqlite_type = SQLITE_DATETIME(storage_format=SQLITE_TIMESTAMP_FORMAT)  # type: ignore[no-untyped-call]
            return dialect.type_descriptor(sqlite_type)
        return dialect.type_descriptor(self.impl)

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        utc = _utc(value)
        # SQLite has no zone type: the storage format writes the UTC fields and "+00:00".
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        """On SQLite, write :data:`SQLITE_TIMESTAMP_FORMAT` in one step.

        The same text as :meth:`process_bind_param` followed by SQLite's ``DATETIME``
        processor (a test compares them), without the two calls and the ``%`` formatting per
        value: a crawl binds five timestamps for each comment and post it writes.
        """
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)
        return _sqlite_timestamp

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]


def _utc(value: datetime) -> datetime:
    """Return ``value`` in UTC; ``ValueError`` for a naive datetime (see :class:`UTCDateTime`)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value.isoformat()} refused: give it a timezone")
    return value.astimezone(UTC)


def _sqlite_timestamp(value: datetime | None) -> str | None:
    """Return ``value`` as :data:`SQLITE_TIMESTAMP_FORMAT` text (``None`` stays ``None``)."""
    # isoformat of a UTC datetime: zero-padded fields, six fraction digits and "+00:00".
    return None if value is None else _utc(value).isoformat(timespec="microseconds")
