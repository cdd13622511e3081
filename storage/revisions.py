"""The schema revisions: the one the code expects (the head) and the one a database is at.

The only place that reads either, used by the database check (:mod:`storage.database`) and by
``blogingest db``; it imports nothing else of ``storage``, so neither needs the other.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


@cache  # the migration files do not change while a process runs; each read parses them all
def head_revision() -> str:
    """Return the revision id the code expects the database to be at."""
    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


def current_revision(connection: Connection) -> str | None:
    """Return the revision the connected database is at, ``None`` for an unmigrated one.

    Reads only (no ``alembic_version`` table is created); a driver error propagates.
    """
    return MigrationContext.configure(connection).get_current_revision()
