"""Run the Alembic migrations in ``storage/migrations`` from code, from any working directory.

The schema changes only through these migrations; nothing calls ``create_all``. The revisions
themselves (head, current) are read by :mod:`storage.revisions`.
"""

from __future__ import annotations

from collections.abc import Callable

from alembic import command
from alembic.config import Config

from storage.database import open_database
from storage.revisions import MIGRATIONS_DIR

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


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` to ``revision`` (default the newest); commits."""
    _migrate(url, lambda config: command.upgrade(config, revision))


def downgrade(url: str, revision: str) -> None:
    """Take the database at ``url`` back to ``revision`` (``base`` = empty); commits."""
    _migrate(url, lambda config: command.downgrade(config, revision))


def _migrate(url: str, step: Callable[[Config], None]) -> None:
    # env.py migrates through this process's handle on the database; its passed check no
    # longer says anything once the schema moved, even when the step failed half-way.
    try:
        step(alembic_config(url))
    finally:
        open_database(url, check=False).schema_changed()
