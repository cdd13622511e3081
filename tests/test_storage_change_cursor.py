"""The consumers' cursor: ``change_seq`` numbers every change in commit order; SQLite's
timestamps sort against ISO 8601 strings; revisions keep every hashed field."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from storage.database import make_engine, make_session_factory
from storage.migrate import downgrade, upgrade
from storage.models import Post, PostRevision
from storage.repository import mark_seen, refresh_comment_counts, upsert_posts
from tests.support.storage_posts import BASE_TIME, make_post

pytest_plugins = ["tests.support.storage"]


def _seqs(sessions) -> dict[str, int]:
    with sessions() as session:
        return dict(session.execute(select(Post.url, Post.change_seq)).all())


def test_every_kind_of_change_takes_a_larger_change_seq_and_a_sighting_none(storage_sessions):
    first, second, third = make_post(1), make_post(2), make_post(3)
    with storage_sessions.begin() as session:
        upsert_posts(session, [first, second, third])
    inserted = _seqs(storage_sessions)
    assert sorted(inserted.values()) == [1, 2, 3]
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1, title="Edited")])  # content
        upsert_posts(session, [make_post(2, updated=BASE_TIME)])  # metadata only
        mark_seen(session, [third.url], datetime.now(UTC) + timedelta(minutes=1))  # a sighting
        upsert_posts(session, [make_post(3)])  # unchanged
    changed = _seqs(storage_sessions)
    assert changed[third.url] == inserted[third.url]
    assert changed[first.url] > max(inserted.values())
    assert changed[second.url] > changed[first.url]
    with storage_sessions.begin() as session:
        assert refresh_comment_counts(session, {third.url: 99}) == 1
    assert _seqs(storage_sessions)[third.url] > changed[second.url]


def test_values_claimed_for_rows_that_did_not_change_leave_no_gap(storage_sessions):
    # upsert_posts claims one value per row before it knows which rows change, and gives the
    # unused ones back: unchanged and folded rows must not leave holes in the sequence.
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1), make_post(2), make_post(1)])  # one folded
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1), make_post(2)])  # nothing changes
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(2), make_post(3, title="New"), make_post(1)])
    assert sorted(_seqs(storage_sessions).values()) == [1, 2, 3]
    with storage_sessions.begin() as session:
        last = session.execute(text("SELECT last_value FROM change_counter")).scalar_one()
    assert last == 3


def test_a_revision_holds_every_field_the_content_hash_covers(storage_sessions):
    moved = BASE_TIME + timedelta(days=40)
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1, language="en")])
        upsert_posts(session, [make_post(1, language="de", published=moved)])
    with storage_sessions() as session:
        revision = session.execute(select(PostRevision)).scalar_one()
        post = session.execute(select(Post)).scalar_one()
    assert (revision.language, revision.published_at) == ("en", make_post(1).published)
    assert (post.language, post.published_at) == ("de", moved)
    assert revision.content_hash != post.content_hash


def test_sqlite_stores_timestamps_as_iso_8601_that_sort_against_isoformat_strings(tmp_path):
    url = f"sqlite:///{tmp_path / 'iso.db'}"
    upgrade(url)
    sessions = make_session_factory(make_engine(url))
    early = datetime(2026, 12, 6, 5, 18, 30, tzinfo=UTC)
    late = datetime(2026, 12, 6, 5, 18, 36, 885660, tzinfo=UTC)
    with sessions.begin() as session:
        upsert_posts(session, [make_post(1)], seen_at=early)
        upsert_posts(session, [make_post(2), make_post(3)], seen_at=late)
    with sqlite3.connect(tmp_path / "iso.db") as plain:
        stored = plain.execute("SELECT last_changed_at FROM posts ORDER BY id").fetchall()
        assert [value for (value,) in stored] == [
            "2026-12-06T05:18:30.000000+00:00",
            "2026-12-06T05:18:36.885660+00:00",
            "2026-12-06T05:18:36.885660+00:00",
        ]

        def count(operator: str, moment: datetime) -> int:
            query = f"SELECT count(*) FROM posts WHERE last_changed_at {operator} ?"  # noqa: S608
            return int(plain.execute(query, (moment.isoformat(),)).fetchone()[0])

        # isoformat() with and without microseconds, aware and naive-UTC, at and between rows.
        assert count(">", datetime(2026, 12, 6, 5, 18, 32, tzinfo=UTC)) == 2
        assert count(">", datetime(2026, 12, 6, 5, 18, 32)) == 2
        assert count(">=", early) == 3
        assert count(">=", late) == 2
        assert count(">", late) == 0
        assert count(">=", early.replace(tzinfo=None)) == 3


def test_the_migration_rewrites_old_sqlite_timestamps_and_numbers_existing_posts(tmp_path):
    path = tmp_path / "old.db"
    url = f"sqlite:///{path}"
    upgrade(url, "0002")
    with sqlite3.connect(path) as plain:
        plain.execute(
            "INSERT INTO blogs (id, url, first_seen_at, last_seen_at) VALUES "
            "(1, 'https://b.blogspot.com/', '2026-12-06 05:18:36.885660', '2026-12-06 05:18:36')"
        )
        for row_id, changed in ((1, "2026-12-06 07:00:00.000001"), (2, "2026-12-06 06:00:00")):
            plain.execute(
                "INSERT INTO posts (id, blog_id, url, body, body_paragraphs, labels, "
                "content_hash, first_seen_at, last_seen_at, last_changed_at, published_at) "
                "VALUES (?, 1, ?, '', '[]', '[]', 'h', ?, ?, ?, NULL)",
                (row_id, f"https://b.blogspot.com/{row_id}.html", changed, changed, changed),
            )
    upgrade(url)
    with sqlite3.connect(path) as plain:
        assert plain.execute("SELECT first_seen_at, last_seen_at FROM blogs").fetchone() == (
            "2026-12-06T05:18:36.885660+00:00",
            "2026-12-06T05:18:36.000000+00:00",
        )
        rows = plain.execute(
            "SELECT id, last_changed_at, published_at, change_seq FROM posts ORDER BY id"
        ).fetchall()
        assert rows == [
            (1, "2026-12-06T07:00:00.000001+00:00", None, 2),
            (2, "2026-12-06T06:00:00.000000+00:00", None, 1),
        ]
        assert plain.execute("SELECT last_value FROM change_counter").fetchone() == (2,)
    sessions = make_session_factory(make_engine(url))
    with sessions.begin() as session:
        upsert_posts(session, [make_post(9)])
    assert _seqs(sessions)[make_post(9).url] == 3
    downgrade(url, "0002")
    with sqlite3.connect(path) as plain:
        assert plain.execute("SELECT last_changed_at FROM posts WHERE id = 2").fetchone() == (
            "2026-12-06 06:00:00.000000",
        )


def test_a_poll_during_concurrent_batches_never_misses_a_row(storage_db_url):
    """Three writers commit batches (inserts, edits, comment counts) while a consumer polls the
    README's way: ``change_seq >= :last``, dedupe on id, keep the largest value seen. The
    writers are slowed inside their transactions so that commits interleave with the polls."""
    engine = make_engine(storage_db_url)
    sessions = make_session_factory(engine)
    writers, batches, per_batch = 3, 6, 5
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            for batch in range(batches):
                numbers = [writer * 1000 + batch * per_batch + n for n in range(per_batch)]
                with sessions.begin() as session:
                    upsert_posts(session, [make_post(n) for n in numbers])
                    if batch:  # edit one post and recount another of the previous batch
                        before = numbers[0] - per_batch
                        upsert_posts(session, [make_post(before, title=f"v{batch}")])
                        refresh_comment_counts(session, {make_post(before + 1).url: batch})
                    session.execute(text("SELECT 1"))
                    time.sleep(0.02)  # stamped, not yet committed
        except BaseException as error:  # surfaced by the assertion below
            errors.append(error)

    seen: dict[int, int] = {}  # id → change_seq of the version the consumer has
    last = 0
    # A second consumer keeps a timestamp cursor, passed as an isoformat() string.
    seen_times: dict[int, datetime] = {}
    last_time = datetime(2000, 1, 1, tzinfo=UTC)
    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    polls = 0

    def poll() -> None:
        nonlocal last, last_time
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, change_seq FROM posts WHERE change_seq >= :last"), {"last": last}
            ).all()
            by_time = connection.execute(
                select(Post.id, Post.last_changed_at).where(Post.last_changed_at >= text(":since")),
                {"since": last_time.isoformat()},
            ).all()
        for row_id, seq in rows:
            seen[row_id] = max(seen.get(row_id, 0), seq)
            last = max(last, seq)
        for row_id, changed in by_time:
            seen_times[row_id] = max(seen_times.get(row_id, changed), changed)
            last_time = max(last_time, changed)

    while any(thread.is_alive() for thread in threads) and polls < 2000:
        poll()
        polls += 1
        time.sleep(0.003)
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    poll()  # the consumer's next poll after the writers stopped
    with engine.connect() as connection:
        final = dict(connection.execute(text("SELECT id, change_seq FROM posts")).all())
        final_times = dict(connection.execute(select(Post.id, Post.last_changed_at)).all())
    engine.dispose()
    assert len(final) == writers * batches * per_batch
    assert polls > 10  # the polls really ran during the writes
    assert seen == final
    assert seen_times == final_times


def test_the_migration_keeps_existing_posts_and_their_json_on_both_databases(
    empty_storage_db_url,
):
    url = empty_storage_db_url
    upgrade(url, "0002")
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO blogs (url, first_seen_at, last_seen_at) VALUES "
                "('https://b.blogspot.com/', '2026-12-06 05:00:00', '2026-12-06 05:00:00')"
            )
        )
        # Generated ids (PostgreSQL's sequences must stay in step): 1 and 2, in this order.
        for row_id, changed in ((1, "2026-12-06 07:00:00"), (2, "2026-12-06 06:00:00")):
            connection.execute(
                text(
                    "INSERT INTO posts (blog_id, url, body, body_paragraphs, labels, "
                    "content_hash, first_seen_at, last_seen_at, last_changed_at) VALUES "
                    "((SELECT id FROM blogs), :url, '', '[\"p\"]', '[\"News\"]', 'h', :t, :t, "
                    ":t)"
                ),
                {"url": f"https://b.blogspot.com/{row_id}.html", "t": changed},
            )
    engine.dispose()
    upgrade(url)
    sessions = make_session_factory(make_engine(url))
    with sessions() as session:
        rows = session.execute(
            select(Post.id, Post.change_seq, Post.labels, Post.last_changed_at).order_by(Post.id)
        ).all()
    assert [(r.id, r.change_seq, r.labels) for r in rows] == [(1, 2, ["News"]), (2, 1, ["News"])]
    assert rows[0].last_changed_at.tzinfo is not None
    with sessions.begin() as session:
        upsert_posts(session, [make_post(5)])
    assert _seqs(sessions)[make_post(5).url] == 3
