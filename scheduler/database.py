"""Open the project database for the scheduler's commands, refusing an unusable one early."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from scheduler.locks import ensure_lock_table
from storage.database import (
    check_database,
    make_engine,
    make_session_factory,
    resolve_database_url,
)


@dataclass(frozen=True)
class OpenDatabase:
    """A checked database: its resolved URL (with password), engine and session factory."""

    url: str
    engine: Engine
    factory: sessionmaker[Session]

    def close(self) -> None:
        """Release the engine's connections."""
        self.engine.dispose()


def open_database(explicit_url: str | None, *, for_worker: bool) -> OpenDatabase:
    """Resolve (``--db`` > ``DATABASE_URL`` > data dir), connect and check the schema.

    ``for_worker`` also creates the scheduler's lock table (commits). Raises
    ``storage.database.DatabaseConfigError`` for a bad URL and ``DatabaseUnavailableError``
    for an unreachable or unmigrated database; both messages are one line.
    """
    url = resolve_database_url(explicit_url)
    engine = make_engine(url)
    try:
        check_database(engine)
        if for_worker:
            ensure_lock_table(engine)
    except BaseException:
        engine.dispose()
        raise
    return OpenDatabase(url=url, engine=engine, factory=make_session_factory(engine))
