"""Storage test fixtures: migrated databases on SQLite and PostgreSQL.

Test modules use these with ``pytest_plugins = ["tests.support.storage"]``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from storage.database import make_engine, make_session_factory
from storage.migrate import upgrade

# Re-exported so that `pytest_plugins = ["tests.support.storage"]` registers it too.
from tests.support.postgres import postgres_url

__all__ = ["postgres_url"]

_database_numbers = itertools.count(1)


def fresh_postgres_database(server_url: str) -> str:
    """Create an empty database on the throwaway server and return its URL."""
    import psycopg

    url = make_url(server_url)
    name = f"blogingest_{next(_database_numbers)}"
    with psycopg.connect(
        host=url.host, port=url.port, user=url.username, dbname=url.database, autocommit=True
    ) as connection:
        connection.execute(f"CREATE DATABASE {name}")  # generated name, not input
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_storage_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of an empty, unmigrated database: a SQLite file, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return fresh_postgres_database(request.getfixturevalue("postgres_url"))


@pytest.fixture
def storage_db_url(empty_storage_db_url: str) -> str:
    """URL of a database migrated to head (through Alembic, never ``create_all``)."""
    upgrade(empty_storage_db_url)
    return empty_storage_db_url


@pytest.fixture
def storage_engine(storage_db_url: str) -> Iterator[Engine]:
    """An engine on the migrated database, disposed after the test."""
    engine = make_engine(storage_db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def storage_sessions(storage_engine: Engine) -> sessionmaker[Session]:
    """A session factory on the migrated database (the caller commits)."""
    return make_session_factory(storage_engine)
