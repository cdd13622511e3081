"""Alembic environment: the URL comes from the Config (set by ``storage.migrate``) or env."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from storage.database import Database, open_database
from storage.migrate import URL_ATTRIBUTE
from storage.models import Base

config = context.config
_LOCK_KEY = 0x626C6F67  # "blog": an arbitrary constant naming our migration lock
target_metadata = Base.metadata


def _database() -> Database:
    """Return the process's handle on the database to migrate (unchecked: migrating fixes it)."""
    given = config.attributes.get(URL_ATTRIBUTE) or config.get_main_option("sqlalchemy.url")
    return open_database(given, check=False)


def _ours(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Leave alone tables other components keep in the same database (APScheduler's jobs)."""
    return not (type_ == "table" and reflected and compare_to is None)


def run_migrations_offline() -> None:
    url = _database().url
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    database = _database()
    try:
        with database.engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
                render_as_batch=connection.dialect.name == "sqlite",
                compare_type=True,
                include_object=_ours,
                transaction_per_migration=True,
            )
            if connection.dialect.name == "postgresql":
                # Two processes upgrading at once (worker and a manual crawl) take turns.
                connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _LOCK_KEY})
                connection.commit()
            with context.begin_transaction():
                context.run_migrations()
    finally:
        database.dispose()  # closing the connection also ends the advisory lock's session


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
