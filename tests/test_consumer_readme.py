"""Every statement of the README's consumer section, checked against real SQLite and PostgreSQL.

If one of these fails, the README (or the schema) drifted: fix whichever is wrong.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, text

from crawler import settings
from storage.database import make_engine, make_session_factory
from storage.deletions import mark_posts_deleted
from storage.migrate import upgrade
from storage.repository import refresh_comment_counts, upsert_posts
from tests.support.readme import code_blocks, column_table, consumer_section
from tests.support.storage_posts import BASE_TIME, make_post

pytest_plugins = ["tests.support.storage"]


def _store(engine: Engine, posts: list[Any]) -> None:
    with make_session_factory(engine).begin() as session:
        upsert_posts(session, posts)


# --- the cursor -------------------------------------------------------------------------------


def test_the_readme_poll_query_sees_every_change_during_concurrent_batches(storage_engine):
    query = code_blocks("sql")[0]  # the poll; the deleted posts' query follows
    sessions = make_session_factory(storage_engine)
    failures: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            for batch in range(5):
                numbers = [writer * 100 + batch * 4 + n for n in range(4)]
                with sessions.begin() as session:
                    upsert_posts(session, [make_post(n) for n in numbers])
                    if batch:
                        refresh_comment_counts(session, {make_post(numbers[0] - 4).url: batch})
                    time.sleep(0.02)
        except BaseException as error:  # reported below
            failures.append(error)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(3)]
    for thread in threads:
        thread.start()
    newest: dict[int, tuple[Any, ...]] = {}
    last_seen = 0

    def poll() -> None:
        nonlocal last_seen
        with storage_engine.connect() as connection:
            for row in connection.execute(text(query), {"last_seen": last_seen}):
                newest[row.id] = tuple(row)
                last_seen = max(last_seen, row.change_seq)

    for _ in range(3000):
        if not any(thread.is_alive() for thread in threads):
            break
        poll()
        time.sleep(0.002)
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    poll()
    with storage_engine.connect() as connection:
        final = {row.id: tuple(row) for row in connection.execute(text(query), {"last_seen": 0})}
    assert len(final) == 60
    assert newest == final


def test_the_readme_python_poll_example_runs_as_printed(tmp_path):
    (example,) = code_blocks("python")
    namespace: dict[str, Any] = {}
    exec(compile(example, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    poll = namespace["poll"]
    path = tmp_path / "blogingest.db"
    upgrade(f"sqlite:///{path}")
    engine = make_engine(f"sqlite:///{path}")
    _store(engine, [make_post(1), make_post(2)])
    changed, last_seen = poll(path, 0)
    assert {row[1] for row in changed.values()} == {make_post(1).url, make_post(2).url}
    with make_session_factory(engine).begin() as session:
        refresh_comment_counts(session, {make_post(2).url: 7})  # not content: still a change
    changed, after = poll(path, last_seen)
    assert [(row[1], row[3]) for row in changed.values() if row[4] > last_seen] == [
        (make_post(2).url, 7)
    ]
    assert after > last_seen
    engine.dispose()


def test_the_cursor_columns_are_indexed_and_the_poll_uses_the_index(storage_engine):
    indexes = inspect(storage_engine).get_indexes("posts")
    indexed = {tuple(index["column_names"]) for index in indexes}
    assert {("change_seq",), ("last_changed_at",)} <= indexed
    assert column_table("posts")["change_seq"] == "bigint, indexed"
    assert column_table("posts")["last_changed_at"] == "timestamp, indexed"
    if storage_engine.dialect.name == "sqlite":
        query = code_blocks("sql")[0]
        with storage_engine.connect() as connection:
            plan = connection.execute(text(f"EXPLAIN QUERY PLAN {query}"), {"last_seen": 0}).all()
        assert "ix_posts_change_seq" in " ".join(str(row) for row in plan)


def test_the_deleted_posts_query_sees_a_deletion_and_a_revival_through_the_cursor(
    storage_engine,
):
    section = consumer_section()
    deleted_section = section[section.index("### Deleted posts") :]
    query = code_blocks("sql")[1]
    assert query in deleted_section
    sessions = make_session_factory(storage_engine)
    with sessions.begin() as session:
        upsert_posts(session, [make_post(1), make_post(2)])
    with storage_engine.connect() as connection:
        last_seen = connection.execute(text("SELECT max(change_seq) FROM posts")).scalar()
        blog_id = connection.execute(text("SELECT blog_id FROM posts")).first()[0]
    gone_at = BASE_TIME + timedelta(days=400)
    with sessions.begin() as session:
        assert mark_posts_deleted(session, blog_id, [make_post(2).url], gone_at) == 1

    def poll(since: int) -> list[Any]:
        with storage_engine.connect() as connection:
            rows = connection.execute(text(query), {"last_seen": since}).all()
        # Plain SQL on SQLite gives the stored ISO text; PostgreSQL a datetime.
        return [
            (
                *row[:2],
                datetime.fromisoformat(row[2]) if isinstance(row[2], str) else row[2],
                row[3],
            )
            for row in rows
        ]

    rows = [row for row in poll(last_seen) if row[3] > last_seen]
    assert [(row[1], row[2]) for row in rows] == [(make_post(2).url, gone_at)]
    # "comes back to life: the next crawl that stores it sets deleted_at back to NULL"
    with sessions.begin() as session:
        upsert_posts(session, [make_post(2)])
    revived = [row for row in poll(rows[0][3]) if row[3] > rows[0][3]]
    assert [(row[1], row[2]) for row in revived] == [(make_post(2).url, None)]
    live = "SELECT url FROM posts WHERE deleted_at IS NULL ORDER BY url"
    assert "`WHERE deleted_at IS NULL`" in " ".join(deleted_section.split())
    with storage_engine.connect() as connection:
        assert [r[0] for r in connection.execute(text(live))] == [
            make_post(1).url,
            make_post(2).url,
        ]


# --- the schema tables --------------------------------------------------------------------------

_TYPE_WORDS = {
    "integer": "INTEGER",
    "bigint": "BIGINT",
    "text": "TEXT",
    "timestamp": "TIMESTAMP",
    "blob": "BLOB",
}


def _documented_kind(documented: str) -> str:
    first = documented.split(",")[0].strip()
    if first.startswith("JSON list"):
        return "JSON"
    if match := re.fullmatch(r"varchar\((\d+)\)", first):
        return f"VARCHAR({match.group(1)})"
    word = first.split()[0] if first.split() else ""
    return _TYPE_WORDS.get(word, first)


def _actual_kind(column: dict[str, Any], dialect: str) -> str:
    name = type(column["type"]).__name__.upper()
    if "JSON" in name:
        return "JSON"
    if name in ("VARCHAR", "STRING"):
        return f"VARCHAR({column['type'].length})"
    if "TIMESTAMP" in name or "DATETIME" in name:
        return "TIMESTAMP"
    if name in ("BYTEA", "LARGEBINARY", "BLOB"):
        return "BLOB"
    if name in ("INTEGER", "BIGINT", "TEXT"):
        return name
    return name


@pytest.mark.parametrize("table", ["blogs", "posts", "comments"])
def test_every_documented_column_has_its_documented_type_and_nullability(storage_engine, table):
    documented = column_table(table)
    columns = {c["name"]: c for c in inspect(storage_engine).get_columns(table)}
    dialect = storage_engine.dialect.name
    assert set(documented) == set(columns), "README table and schema list different columns"
    problems = []
    for name, doc_type in documented.items():
        column = columns[name]
        if doc_type.split(",")[0].strip() in ("", "NULL"):
            kind_ok = True  # the row only says NULL (raw_* columns of mixed types)
        else:
            kind_ok = _documented_kind(doc_type) == _actual_kind(column, dialect)
        if not kind_ok:
            problems.append(f"{name}: README {doc_type!r}, schema {column['type']}")
        if ("NULL" in doc_type) != bool(column["nullable"]) and "PK" not in doc_type:
            problems.append(f"{name}: README {doc_type!r}, nullable={column['nullable']}")
    assert problems == []


def test_the_stable_contract_columns_exist(storage_engine):
    section = consumer_section()
    start = section.index("### Stable contract")
    inspector = inspect(storage_engine)
    for line in section[start : section.index("### Conventions")].splitlines():
        match = re.match(r"\| `(\w+)` \| (.*) \|$", line)
        if not match:
            continue
        names = set(re.findall(r"`(\w+)`", match.group(2)))
        actual = {c["name"] for c in inspector.get_columns(match.group(1))}
        assert names <= actual, f"{match.group(1)}: {names - actual} documented, not in schema"


def test_json_columns_are_jsonb_on_postgresql_and_json_text_on_sqlite(storage_engine):
    _store(storage_engine, [make_post(1, labels=["News", "x"]), make_post(2, labels=["x"])])
    with storage_engine.connect() as connection:
        if storage_engine.dialect.name == "postgresql":
            kinds = connection.execute(
                text(
                    "SELECT table_name, column_name, data_type FROM information_schema.columns "
                    "WHERE data_type IN ('json', 'jsonb')"
                )
            ).all()
            assert kinds
            assert all(kind == "jsonb" for _, _, kind in kinds), kinds
            assert "`jsonb`" in consumer_section()
            news = connection.execute(
                text("""SELECT count(*) FROM posts WHERE labels @> '["News"]'""")
            ).scalar()
            distinct = connection.execute(text("SELECT DISTINCT labels FROM posts")).all()
            assert (news, len(distinct)) == (1, 2)
        else:
            declared = connection.execute(
                text("SELECT type FROM pragma_table_info('posts') WHERE name = 'labels'")
            ).scalar()
            assert declared == "JSON"
            news = connection.execute(
                text(
                    "SELECT count(*) FROM posts, json_each(posts.labels) AS label "
                    "WHERE label.value = 'News'"
                )
            ).scalar()
            assert news == 1


def test_sqlite_timestamps_have_the_documented_text_form(tmp_path):
    documented = re.search(r"one fixed form, `([^`]+)`", consumer_section())
    assert documented is not None
    shape = re.sub(r"\d", r"\\d", re.escape(documented.group(1)))
    path = tmp_path / "t.db"
    upgrade(f"sqlite:///{path}")
    engine = make_engine(f"sqlite:///{path}")
    _store(engine, [make_post(1, published=BASE_TIME.replace(microsecond=0))])
    engine.dispose()
    with sqlite3.connect(path) as plain:
        values = plain.execute(
            "SELECT published_at, first_seen_at, last_seen_at, last_changed_at FROM posts"
        ).fetchone()
    assert all(re.fullmatch(shape, value) for value in values), values


def test_a_post_history_is_its_revisions_then_the_current_row(storage_engine):
    _store(storage_engine, [make_post(1, language="en")])
    _store(storage_engine, [make_post(1, language="fr", title="Retitled")])
    with storage_engine.connect() as connection:
        post_id = connection.execute(text("SELECT id FROM posts")).scalar()
        history = connection.execute(
            text(
                "SELECT title, language, published_at FROM post_revisions "
                "WHERE post_id = :id ORDER BY replaced_at"
            ),
            {"id": post_id},
        ).all()
    assert [(title, language) for title, language, _ in history] == [("Post number 1", "en")]
    assert history[0][2] is not None


def test_the_csv_export_reads_back_with_the_documented_recipes(storage_db_url, capsys):
    """NULL stays NULL and empty text stays empty through ``COPY ... NULL '\\N'``."""
    from blogingest.cli import main

    match = re.search(r"`(COPY \S+ FROM STDIN \([^`]*\))`", consumer_section())
    assert match is not None, "the README's COPY recipe moved"
    engine = make_engine(storage_db_url)
    _store(engine, [make_post(1, title=""), make_post(2, title=None, comment_count=None)])
    assert main(["export", "--format", "csv", "--db", storage_db_url]) == 0
    exported = capsys.readouterr().out
    if engine.dialect.name != "postgresql":
        # The README's other recipe: Python's csv module, comparing a field with "\\N".
        engine.dispose()
        rows = list(csv.DictReader(io.StringIO(exported)))
        assert [(r["title"], r["comment_count"]) for r in rows] == [("", "2"), ("\\N", "\\N")]
        assert '`"\\\\N"`' in consumer_section()
        return
    table = match.group(1).split()[1]
    header = exported.splitlines()[0].split(",")
    columns = ", ".join(f"{name} text" for name in header)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(f"CREATE TEMP TABLE {table} ({columns})")
        with cursor.copy(match.group(1)) as copy:  # type: ignore[attr-defined]
            copy.write(exported)
        cursor.execute(f"SELECT title, comment_count FROM {table} ORDER BY id")  # noqa: S608
        assert cursor.fetchall() == [("", "2"), (None, None)]
    finally:
        raw.close()
        engine.dispose()


# --- reading while a crawl writes ---------------------------------------------------------------


def test_the_documented_batch_size_and_timer_are_the_crawls():
    section = consumer_section()
    assert f"batches of {settings.STORE_BATCH_SIZE} posts" in section
    assert f"every {settings.STORE_BATCH_SECONDS:g} s" in section


def _readonly_command(database: Path) -> list[str]:
    """The README's read-only ``sqlite3`` command, pointed at ``database``."""
    match = re.search(r"`(sqlite3 'file:data/blogingest\.db\?mode=ro')`", consumer_section())
    assert match is not None, "the README's read-only recipe moved"
    command = match.group(1).replace("data/blogingest.db", str(database))
    return shlex.split(command)


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder any user may read but only we may write, outside pytest's private tmp dir."""
    if os.geteuid() != 0 or not shutil.which("setpriv") or not shutil.which("sqlite3"):
        pytest.skip("needs root, setpriv and the sqlite3 shell to read as another user")
    folder = Path(tempfile.mkdtemp(prefix="blogingest-ro-"))
    data = folder / "data"
    data.mkdir()
    folder.chmod(0o755)
    data.chmod(0o755)
    try:
        yield data
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _read_as_nobody(database: Path, sql: str) -> subprocess.CompletedProcess[str]:
    command = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    return subprocess.run(  # noqa: S603 - fixed arguments
        [*command, *_readonly_command(database), sql],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_a_user_who_cannot_write_the_folder_reads_between_and_during_runs(shared_folder):
    database = shared_folder / "blogingest.db"
    url = f"sqlite:///{database}"
    upgrade(url)
    engine = make_engine(url)
    _store(engine, [make_post(1), make_post(2)])
    engine.dispose()  # the run ended
    database.chmod(0o644)
    between = _read_as_nobody(database, "SELECT count(*) FROM posts;")
    assert (between.returncode, between.stdout.strip(), between.stderr) == (0, "2", "")
    engine = make_engine(url)  # a run is going on: its connection stays open
    with engine.connect() as held:
        _store(engine, [make_post(3)])
        held.execute(text("SELECT 1"))
        for name in ("blogingest.db-wal", "blogingest.db-shm"):
            assert (shared_folder / name).exists()
        during = _read_as_nobody(database, "SELECT count(*) FROM posts;")
        assert (during.returncode, during.stdout.strip(), during.stderr) == (0, "3", "")
    engine.dispose()
    after = _read_as_nobody(database, "SELECT count(*) FROM posts;")
    assert (after.returncode, after.stdout.strip()) == (0, "3")


def test_readers_with_the_documented_busy_timeout_are_never_locked_out(tmp_path):
    """Runs start and end (journal-mode switches, the last checkpoint) while a reader with
    Python's default timeout, which the README names, opens and reads over and over."""
    assert "`sqlite3.connect` waits 5 s by default" in consumer_section()
    path = tmp_path / "busy.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    stop = threading.Event()
    failures: list[BaseException] = []
    reads = 0

    def read() -> None:
        nonlocal reads
        while not stop.is_set():
            try:
                db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)  # default timeout: 5 s
                try:
                    db.execute("SELECT count(*) FROM posts").fetchone()
                finally:
                    db.close()
                reads += 1
            except sqlite3.Error as error:
                failures.append(error)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for run in range(15):  # each run: a new engine, a batch, the engine closed
            engine = make_engine(url)
            _store(engine, [make_post(run * 10 + n) for n in range(10)])
            engine.dispose()
    finally:
        stop.set()
        reader.join(timeout=30)
    assert failures == []
    assert reads > 15


# --- comments -----------------------------------------------------------------------------------


def test_comments_share_the_cursor_and_a_deleted_comment_stays_a_row(storage_engine):
    from storage.comments import upsert_comments  # noqa: PLC0415
    from tests.test_storage_comments import comment, listing  # noqa: PLC0415

    section = consumer_section()
    assert "the change sequence `posts` use (one cursor for both)" in section
    sessions = make_session_factory(storage_engine)
    with sessions.begin() as session:
        upsert_posts(session, [make_post(1)])
        upsert_comments(session, [listing(1, [comment(1), comment(2, parent=comment(1).id)])])
    with sessions.begin() as session:
        upsert_comments(session, [listing(1, [comment(2, parent=comment(1).id)], complete=True)])
    with storage_engine.connect() as connection:
        post_seq = connection.execute(text("SELECT change_seq FROM posts")).scalar()
        thread = connection.execute(
            text(
                "SELECT blogger_comment_id, parent_blogger_comment_id, deletion, change_seq "
                "FROM comments WHERE post_id = (SELECT id FROM posts) ORDER BY published_at"
            )
        ).all()
    assert [(row[0], row[1], row[2]) for row in thread] == [
        (comment(1).id, None, "missing"),
        (comment(2).id, comment(1).id, None),
    ]
    assert sorted(row[3] for row in thread) == [post_seq + 2, post_seq + 3]
