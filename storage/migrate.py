"""Run the Alembic migrations in ``storage/migrations`` from code, from any working directory.

The schema changes only through these migrations; nothing calls ``create_all``.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from storage.database import make_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
URL_ATTRIBUTE = "database_url"


def alembic_config(url: str) -> Config:
    """Return an Alembic ``Config`` for ``url`` that works without ``alembic.ini`` or a cwd.

    The URL travels in ``config.attributes`` (not the ini option) so that a ``%`` in a
    password needs no escaping; ``migrations/env.py`` reads it from there.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes[URL_ATTRIBUTE] = url
    return config


def head_revision() -> str:
    """Return the revision id the code expects the database to be at."""
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    head = script.get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` to ``revision`` (default the newest); commits."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    """Take the database at ``url`` back to ``revision`` (``base`` = empty); commits."""
    command.downgrade(alembic_config(url), revision)


def current_revision(url: str) -> str | None:
    """Return the revision the database at ``url`` is at, ``None`` for an unmigrated one."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
