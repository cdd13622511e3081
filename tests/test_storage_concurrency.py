"""A crawl writing and a consumer reading the same SQLite file at the same time."""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from storage.database import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models import Post
from storage.repository import upsert_posts
from tests.support.storage_posts import make_post

BATCHES = 8
BATCH = 250


def test_a_reader_is_never_blocked_or_failed_while_a_writer_commits_batches(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    upgrade(url)
    # The reader may not wait for a lock at all (a busy timeout of 0): a read that the writer
    # blocked would fail at once with "database is locked", whatever the machine's load. (A
    # wall-clock bound on each read measured the two threads' turns at the GIL instead.)
    writer_engine, reader_engine = make_engine(url), make_engine(url, busy_timeout_s=0)
    writer, reader = make_session_factory(writer_engine), make_session_factory(reader_engine)
    # Both open their (pooled) connection first, the writer's switching the file to WAL: what is
    # tested is reading during batches, not two connections switching the journal mode at once.
    for engine in (writer_engine, reader_engine):
        with engine.connect():
            pass
    done = threading.Event()
    failures: list[BaseException] = []
    counts: list[int] = []

    def write() -> None:
        try:
            for batch in range(BATCHES):
                posts = [make_post(batch * BATCH + n) for n in range(1, BATCH + 1)]
                with writer.begin() as session:
                    upsert_posts(session, posts)
                    time.sleep(0.02)  # hold the write transaction open while the reader reads
        except BaseException as error:  # reported by the main thread
            failures.append(error)
        finally:
            done.set()

    thread = threading.Thread(target=write)
    thread.start()
    while not done.is_set():
        with reader() as session:
            counts.append(int(session.scalar(select(func.count()).select_from(Post)) or 0))
    thread.join()
    writer_engine.dispose()
    reader_engine.dispose()

    assert failures == []
    assert len(counts) > BATCHES
    assert counts == sorted(counts), "a reader saw committed rows disappear"
    assert all(count % BATCH == 0 for count in counts), "a reader saw a half-written batch"
