"""Declarative base with a naming convention, so migrations name constraints predictably."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, MetaData
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase

from storage.types import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSON_DOCUMENT = JSON().with_variant(JSONB(), "postgresql")
"""JSON columns: ``jsonb`` on PostgreSQL, so consumers can index them, use ``@>`` and
``SELECT DISTINCT``; ``JSON`` (text holding JSON) on SQLite."""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: UTCDateTime(),
        list[str]: JSON_DOCUMENT,
        dict[str, Any]: JSON_DOCUMENT,
        dict[str, int]: JSON_DOCUMENT,
    }
