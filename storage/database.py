"""Database URLs, engines and sessions: the only place that knows about dialect setup.

Supported: SQLite (``sqlite:///path``) and PostgreSQL through psycopg 3
(``postgresql+psycopg://``; ``postgresql://`` and ``postgres://`` are taken to mean it).
"""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from storage.revisions import current_revision, head_revision

DEFAULT_DATA_DIR = "data"
DEFAULT_DB_FILE = "blogingest.db"
# A writer holding the SQLite lock for a big batch must not make readers or a second writer
# fail at once; 30 s covers any batch we write while still surfacing a truly stuck lock.
SQLITE_BUSY_TIMEOUT_S = 30.0

T = TypeVar("T")


class DatabaseConfigError(ValueError):
    """A database URL that cannot be used; the message names it (password hidden)."""


class DatabaseUnavailableError(Exception):
    """The database cannot be used right now: unreachable, locked, or not migrated.

    The message names the redacted URL and the cause, on one line.
    """


def resolve_database_url(explicit: str | None = None) -> str:
    """Return the database URL to use, normalised for our drivers.

    Precedence: ``explicit`` (the ``--db`` value) > env ``DATABASE_URL`` >
    ``sqlite:///<data dir>/blogingest.db`` where the data dir is env ``BLOGINGEST_DATA_DIR`` or
    ``./data``. Creates nothing: the data dir appears when a database is first written
    (:func:`make_engine`), so a reading or failed command leaves no empty folder behind.
    Raises :class:`DatabaseConfigError` naming a bad URL.
    """
    raw = explicit or os.environ.get("DATABASE_URL")
    if not raw:
        data_dir = Path(os.environ.get("BLOGINGEST_DATA_DIR") or DEFAULT_DATA_DIR)
        return f"sqlite:///{data_dir / DEFAULT_DB_FILE}"
    return _normalised(raw.strip())


def _normalised(raw: str) -> str:
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise DatabaseConfigError(f"not a database URL: {redact_url(raw)!r}") from None
    _refuse_control_characters(url, raw)
    backend = url.get_backend_name()
    if backend == "postgres":
        url = url.set(drivername="postgresql+psycopg")
    elif backend == "postgresql":
        if url.get_driver_name() not in ("psycopg", "psycopg2") or "+" not in url.drivername:
            url = url.set(drivername="postgresql+psycopg")
    elif backend != "sqlite":
        raise DatabaseConfigError(
            f"unsupported database {redact_url(raw)!r}: use sqlite:/// or postgresql+psycopg://"
        )
    _check_options(url, raw)
    return url.render_as_string(hide_password=False)


def _refuse_control_characters(url: URL, raw: str) -> None:
    """Refuse a NUL or other control character anywhere in the URL, raw or percent-decoded.

    No file name, host, user or option holds one; a NUL cuts C strings short (libpq dropped
    everything after it, port included, and SQLite's open raised a traceback).
    """
    values: list[str | None] = [raw, url.username, url.host, url.database]
    values.append(None if url.password is None else str(url.password))
    for option in url.query.values():
        values.extend([option] if isinstance(option, str) else option)
    for value in values:
        text = value or ""
        if any(ord(char) < 0x20 or ord(char) == 0x7F for char in text):
            raise DatabaseConfigError(
                f"not a database URL: {redact_url(raw)!r} (it holds a NUL or control character)"
            )


def _check_options(url: URL, raw: str) -> None:
    """Refuse options the driver could not take (``?timeout=soon``) now, not in a traceback.

    The dialect turns the URL into connect arguments exactly as ``create_engine`` will; this
    neither connects nor imports the driver.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # create_engine gives any warning once, later
            url.get_dialect()().create_connect_args(url)
    except (ArgumentError, ValueError, TypeError):
        raise DatabaseConfigError(f"not a usable database URL: {redact_url(raw)!r}") from None


def redact_url(url: str) -> str:
    """Return ``url`` with any password replaced by ``***``.

    An unparsable ``url`` is still shown with what looks like a password hidden: whatever
    stands between ``user:`` and the last ``@``.
    """
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return _mask_credentials(url)
    if parsed.host and "@" in parsed.host:
        # An unencoded "@" in the password: make_url ended the password at the first one.
        return _mask_credentials(url)
    return parsed.render_as_string(hide_password=True)  # renders the password as ***


def _mask_credentials(text: str) -> str:
    # The last "@" ends the credentials; a password may itself contain "@" or "/".
    at = text.rfind("@")
    if at < 0:
        return text
    slashes = text.find("//", 0, at)
    user_start = slashes + 2 if slashes >= 0 else 0
    colon = text.find(":", user_start, at)
    if colon < 0:
        return text  # a user name without a password
    return f"{text[: colon + 1]}***{text[at:]}"


def make_engine(url: str, *, busy_timeout_s: float = SQLITE_BUSY_TIMEOUT_S) -> Engine:
    """Create an engine for ``url`` (normalised here, see :func:`resolve_database_url`).

    Does not connect. Raises :class:`DatabaseConfigError` for a URL that cannot be used.
    Commands and crawls use :func:`open_database`, which makes one engine per database.
    """
    return _engine_for(_normalised(url), busy_timeout_s)


def _engine_for(url: str, busy_timeout_s: float = SQLITE_BUSY_TIMEOUT_S) -> Engine:
    """Create the engine of an already normalised ``url``; does not connect.

    SQLite: every connection gets WAL journaling (readers never block on the writer),
    ``busy_timeout`` of ``busy_timeout_s`` seconds and ``foreign_keys=ON``; the last one to
    close turns WAL off again (:func:`leave_wal_if_last`); the file's parent directory is
    created. PostgreSQL: psycopg 3 with ``pool_pre_ping``.
    """
    resolved = make_url(url)
    if resolved.get_backend_name() == "sqlite":
        return _sqlite_engine(resolved, busy_timeout_s)
    return create_engine(resolved, pool_pre_ping=True)


def _sqlite_engine(url: URL, busy_timeout_s: float) -> Engine:
    if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": busy_timeout_s})
    timeout_ms = int(busy_timeout_s * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            # WAL with NORMAL sync is durable across application crashes, only a power loss
            # may drop the last commits; it halves fsyncs per batch.
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "close")
    def _on_close(dbapi_connection: Any, _record: Any) -> None:
        leave_wal_if_last(dbapi_connection)

    return engine


def leave_wal_if_last(dbapi_connection: Any) -> bool:
    """Switch the database back to rollback journaling if this is its last open connection.

    Why: a WAL database can only be read by a user who cannot write its folder while its
    ``-wal`` and ``-shm`` files exist, and SQLite deletes them when the last connection closes.
    In rollback mode a read-only open (``?mode=ro``) needs nothing but read access. The switch
    needs the database to itself, so while any other connection (any process) is open it fails
    at once (busy timeout 0) and WAL stays: that connection keeps the files in place. The next
    writer's connection turns WAL on again. Returns whether the switch happened.
    """
    import sqlite3  # noqa: PLC0415 - only SQLite connections come here

    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA busy_timeout = 0")
        row = cursor.execute("PRAGMA journal_mode = DELETE").fetchone()
    except sqlite3.Error:
        return False
    finally:
        cursor.close()
    return bool(row) and str(row[0]).lower() == "delete"


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return a session factory bound to ``engine``; objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def check_database(engine: Engine) -> None:
    """Connect once and check the schema is at the migrations' head.

    Raises :class:`DatabaseUnavailableError` naming the redacted URL when the server is
    unreachable, the file is locked or unreadable, or the schema is missing or outdated
    (the message then says to run ``blogingest db upgrade``). Returns ``None`` when usable.
    """
    where = redact_url(engine.url.render_as_string(hide_password=False))
    try:
        with engine.connect() as connection:
            current = current_revision(connection)
    except (DBAPIError, SQLAlchemyError) as error:
        raise DatabaseUnavailableError(
            f"cannot use database {where}: {error_summary(error)}"
        ) from None
    head = head_revision()
    if current != head:
        state = "no schema" if current is None else f"schema at {current}, code expects {head}"
        raise DatabaseUnavailableError(
            f"database {where} is not migrated ({state}): run `blogingest db upgrade`"
        )


def error_summary(error: BaseException) -> str:
    """First line of the driver's message, without SQLAlchemy's SQL echo and help link."""
    original = getattr(error, "orig", None) or error
    message = str(original).strip().splitlines()
    return message[0] if message else type(original).__name__


def missing_sqlite_file(url: str) -> bool:
    """Whether ``url`` names an SQLite file that does not exist (connecting would create it)."""
    parsed = make_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return False
    return not database.startswith("file:") and not Path(database).exists()


def _refuse_missing_sqlite_file(url: str) -> None:
    if missing_sqlite_file(url):
        raise DatabaseUnavailableError(
            f"database {redact_url(url)} does not exist: run `blogingest db upgrade`"
        )


class Database:
    """A process's handle on one database: its URL, its one engine and sessions, one check.

    Only :func:`open_database` makes these, so the commands, the scheduler and every
    component of a crawl in one process share one engine per database, and the schema is
    checked at most once. The engine is made on first use: a handle never used creates
    nothing (no SQLite file, no data dir). :meth:`dispose` closes the pooled connections; the
    handle stays usable and reconnects when next used. Safe to share between threads.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        """The resolved URL, password included (hand it on; show :attr:`redacted_url`)."""
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._checked = False
        self._build_lock = threading.Lock()
        self._check_lock = threading.Lock()

    @property
    def redacted_url(self) -> str:
        """The URL with any password hidden, for messages."""
        return redact_url(self.url)

    @property
    def engine(self) -> Engine:
        """The engine (made on first access; it connects only when used)."""
        if self._engine is None:
            with self._build_lock:
                if self._engine is None:
                    self._engine = _engine_for(self.url)
        return self._engine

    @property
    def sessions(self) -> sessionmaker[Session]:
        """The session factory over :attr:`engine`; objects stay readable after commit."""
        if self._sessions is None:
            self._sessions = make_session_factory(self.engine)
        return self._sessions

    def check(self) -> None:
        """Refuse a database the code cannot use; once it passed, later calls return at once.

        A missing SQLite file is reported, not created. Raises
        :class:`DatabaseUnavailableError` (one line naming the redacted URL) for a missing,
        unreachable, locked or unmigrated database; a failed check is not remembered, and
        leaves no connection open.
        """
        with self._check_lock:
            if self._checked:
                return
            if missing_sqlite_file(self.url):
                raise DatabaseUnavailableError(
                    f"database {self.redacted_url} does not exist: run `blogingest db upgrade`"
                )
            try:
                check_database(self.engine)
            except BaseException:
                self.dispose()
                raise
            self._checked = True

    def schema_changed(self) -> None:
        """Forget a passed check (the migrations ran): the next :meth:`check` looks again."""
        with self._check_lock:
            self._checked = False

    def revision(self) -> str | None:
        """Connect and return the schema revision, ``None`` for an unmigrated database."""
        with self.engine.connect() as connection:
            return current_revision(connection)

    def transaction(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one transaction that commits on success and rolls back on error."""
        with self.sessions.begin() as session:
            return work(session)

    def dispose(self) -> None:
        """Close the pooled connections (at the end of a command or crawl)."""
        if self._engine is not None:
            self._engine.dispose()


# Every database this process opened, by resolved URL and by each spelling it was given in;
# kept for the process's life (a handle is small; its connections close on dispose).
_OPENED: dict[str, Database] = {}
_OPENED_LOCK = threading.Lock()


def open_database(explicit: str | None = None, *, check: bool = True) -> Database:
    """Return this process's :class:`Database` for the URL, checked unless ``check=False``.

    The URL is ``explicit`` (``--db``), else env ``DATABASE_URL``, else the data dir's SQLite
    file (:func:`resolve_database_url`); each spelling is resolved once per process. The
    check (:meth:`Database.check`) runs once per database and process, whoever asks first:
    ``check=False`` is for ``blogingest db``, which fixes or reports what the check refuses.
    Raises :class:`DatabaseConfigError` for a bad URL and :class:`DatabaseUnavailableError`
    for a database failing the check, one line each.
    """
    given = explicit or os.environ.get("DATABASE_URL")
    with _OPENED_LOCK:
        database = _OPENED.get(given) if given else None
        if database is None:
            url = resolve_database_url(explicit)
            database = _OPENED.setdefault(url, Database(url))
            if given:
                _OPENED[given] = database
    if check:
        database.check()
    return database
