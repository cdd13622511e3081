"""Database URLs, engine setup and clear errors for unusable databases."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.database import (
    DatabaseConfigError,
    DatabaseUnavailableError,
    check_database,
    make_engine,
    open_database,
    redact_url,
    resolve_database_url,
)
from storage.migrate import downgrade, upgrade
from storage.types import SQLITE_TIMESTAMP_FORMAT, UTCDateTime

pytest_plugins = ["tests.support.storage"]


def test_an_explicit_url_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///env.db")
    assert resolve_database_url("sqlite:///explicit.db") == "sqlite:///explicit.db"
    assert resolve_database_url() == "sqlite:///env.db"


def test_without_a_url_the_database_lives_in_the_data_dir(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("BLOGINGEST_DATA_DIR", str(tmp_path / "data"))
    assert resolve_database_url() == f"sqlite:///{tmp_path / 'data' / 'blogingest.db'}"
    assert not (tmp_path / "data").exists()  # resolving a URL creates nothing


def test_plain_postgresql_urls_use_psycopg_3():
    resolved = resolve_database_url("postgresql://u:p@db.example/x")
    assert resolved == "postgresql+psycopg://u:p@db.example/x"
    assert resolve_database_url("postgres://u@h/x").startswith("postgresql+psycopg://")


@pytest.mark.parametrize("bad", ["not a url", "mysql://u:secret@h/x", "oracle://h/x"])
def test_a_bad_url_is_refused_naming_it_without_its_password(bad):
    with pytest.raises(DatabaseConfigError) as error:
        resolve_database_url(bad)
    assert "secret" not in str(error.value)
    assert bad.split(":")[0] in str(error.value)


def test_redact_url_hides_only_the_password():
    assert redact_url("postgresql+psycopg://user:s3cret@host:5432/db") == (
        "postgresql+psycopg://user:***@host:5432/db"
    )
    assert redact_url("sqlite:///x.db") == "sqlite:///x.db"


@pytest.mark.parametrize(
    ("url", "redacted"),
    [
        ("postgresql+psycopg://u:s3cret@h:notaport/db", "postgresql+psycopg://u:***@h:notaport/db"),
        ("postgresql//u:s3cret@h/db", "postgresql//u:***@h/db"),
        ("postgresql://u:s3c@ret@h/db", "postgresql://u:***@h/db"),
        ("u:s3cret@h", "u:***@h"),
        ("not a url", "not a url"),
        ("user@h/db", "user@h/db"),
    ],
)
def test_redact_url_hides_what_looks_like_a_password_in_unparsable_urls(url, redacted):
    assert redact_url(url) == redacted


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'x.db'}")
    with engine.connect() as connection:
        pragmas = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout")
        }
    engine.dispose()
    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 30000}


def test_an_unmigrated_database_is_reported_with_the_upgrade_command(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(DatabaseUnavailableError, match="not migrated.*blogingest db upgrade"):
        check_database(engine)
    engine.dispose()


def test_a_migrated_database_passes_the_check(storage_db_url):
    engine = make_engine(storage_db_url)
    check_database(engine)
    engine.dispose()


def test_an_unreachable_server_is_reported_with_the_redacted_url():
    from tests.support.postgres import _free_port

    url = f"postgresql+psycopg://blog:hunter2@127.0.0.1:{_free_port()}/nothing"
    engine = make_engine(url)
    with pytest.raises(DatabaseUnavailableError) as error:
        check_database(engine)
    message = str(error.value)
    assert "hunter2" not in message
    assert "blog:***@127.0.0.1" in message
    assert "\n" not in message


def test_a_locked_sqlite_database_is_reported_not_waited_on_forever(tmp_path):
    path = tmp_path / "locked.db"
    upgrade(f"sqlite:///{path}")
    holder = sqlite3.connect(path)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        engine = make_engine(f"sqlite:///{path}", busy_timeout_s=0.2)
        with pytest.raises(DatabaseUnavailableError, match="locked"):
            check_database(engine)
        engine.dispose()
    finally:
        holder.rollback()
        holder.close()


def test_naive_datetimes_are_refused():
    from datetime import datetime

    from sqlalchemy.dialects import sqlite

    with pytest.raises(ValueError, match="naive datetime"):
        UTCDateTime().process_bind_param(datetime(2024, 1, 1), sqlite.dialect())


@given(
    moment=st.datetimes(
        min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.timezones()
    )
)
@settings(max_examples=300, deadline=None)
def test_sqlite_timestamps_are_written_as_the_storage_format_says(moment):
    """The one-step SQLite bind processor writes what the documented format and SQLAlchemy do."""
    from sqlalchemy.dialects import sqlite

    dialect = sqlite.dialect()
    column = UTCDateTime()
    written = column.bind_processor(dialect)(moment)
    inner = column.load_dialect_impl(dialect).bind_processor(dialect)
    assert written == inner(column.process_bind_param(moment, dialect))
    utc = moment.astimezone(UTC)
    assert written == SQLITE_TIMESTAMP_FORMAT % {
        field: getattr(utc, field)
        for field in ("year", "month", "day", "hour", "minute", "second", "microsecond")
    }
    assert column.bind_processor(dialect)(None) is None
    with pytest.raises(ValueError, match="naive datetime"):
        column.bind_processor(dialect)(moment.replace(tzinfo=None))


def test_importing_storage_creates_no_engine_and_no_file(tmp_path):
    code = "import storage.database, storage.repository, storage.runs, storage.crawl_state"
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True)
    assert list(Path(tmp_path).iterdir()) == []


def test_one_handle_per_database_whatever_spelling_names_it(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/handles")
    from_env = open_database(check=False)
    assert from_env is open_database("postgresql://u@db.example/handles", check=False)
    assert from_env is open_database("postgresql+psycopg://u@db.example/handles", check=False)
    assert from_env.url == "postgresql+psycopg://u@db.example/handles"
    assert from_env.engine is from_env.engine
    unused = open_database(f"sqlite:///{tmp_path / 'sub' / 'never.db'}", check=False)
    assert unused.redacted_url.endswith("never.db")
    assert list(tmp_path.iterdir()) == []  # a handle never used creates no file or folder


def test_the_schema_is_checked_once_per_process(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'once.db'}"
    upgrade(url)
    checks = []
    monkeypatch.setattr("storage.database.check_database", lambda engine: checks.append(engine.url))
    first = open_database(url)
    assert open_database(url) is first
    first.check()
    assert len(checks) == 1


def test_a_failed_check_is_tried_again_and_a_migration_forgets_a_passed_one(tmp_path):
    url = f"sqlite:///{tmp_path / 'later.db'}"
    with pytest.raises(DatabaseUnavailableError, match="does not exist"):
        open_database(url)
    upgrade(url)
    database = open_database(url)
    assert database.revision() is not None
    downgrade(url, "base")
    with pytest.raises(DatabaseUnavailableError, match="not migrated"):
        open_database(url)
    assert database.revision() is None
    upgrade(url)
    assert open_database(url) is database
    database.dispose()


def test_an_offline_crawl_makes_one_engine_and_checks_the_schema_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'crawl.db'}"
    upgrade(url)  # in this process: the crawl's process below starts with nothing open
    script = f"""
import collections, json, sys
import storage.database as database
counts = collections.Counter()
def counted(name):
    real = getattr(database, name)
    def call(*args, **kwargs):
        counts[name] += 1
        return real(*args, **kwargs)
    setattr(database, name, call)
for name in ("create_engine", "check_database", "_normalised"):
    counted(name)
from blogingest.cli import main
code = main(["-q", "crawl", "--offline", "--db", {url!r}, "-s", "AUTOTHROTTLE_ENABLED=0",
             "-s", "DOWNLOAD_DELAY=0"])
print(json.dumps({{"exit": code, **counts}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[1],
        env={**os.environ, "BLOGINGEST_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    assert counts == {"exit": 0, "create_engine": 1, "check_database": 1, "_normalised": 1}
