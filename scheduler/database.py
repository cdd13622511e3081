"""Open the project database for the scheduler's commands, refusing an unusable one early."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from storage.database import make_session_factory, open_engine, resolve_database_url


@dataclass(frozen=True)
class OpenDatabase:
    """A checked database: its resolved URL (with password), engine and session factory."""

    url: str
    engine: Engine
    factory: sessionmaker[Session]

    def close(self) -> None:
        """Release the engine's connections."""
        self.engine.dispose()


def open_database(explicit_url: str | None) -> OpenDatabase:
    """Resolve (``--db`` > ``DATABASE_URL`` > data dir), connect and check the schema.

    A missing SQLite file is reported, not created. Raises
    ``storage.database.DatabaseConfigError`` for a bad URL and ``DatabaseUnavailableError``
    for an unreachable or unmigrated database; both messages are one line.
    """
    url = resolve_database_url(explicit_url)
    engine = open_engine(url)
    return OpenDatabase(url=url, engine=engine, factory=make_session_factory(engine))
