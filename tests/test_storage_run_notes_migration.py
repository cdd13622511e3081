"""Migration ``0007_run_notes``: existing runs get no notes; new notes are kept apart."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from storage.database import make_engine
from storage.migrate import downgrade, upgrade
from storage.runs import finish_run, get_run, start_run

pytest_plugins = ["tests.support.storage"]


def test_existing_runs_get_no_notes_and_new_ones_keep_theirs(empty_storage_db_url):
    url = empty_storage_db_url
    upgrade(url, "0006_reject_kind")
    now = datetime(2026, 12, 1, tzinfo=UTC)
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO crawl_runs (blog_url, trigger, started_at, status, counts, errors)"
                    " VALUES ('https://a.blogspot.com/', 'manual', :now, 'success', '{}', '[]')"
                ),
                {"now": now},
            )
        upgrade(url)
        with Session(engine) as session, session.begin():
            old = get_run(session, 1)
            assert old is not None
            assert old.notes == []
            run = start_run(session, blog_url="https://b.blogspot.com/")
            finish_run(session, run, status="success", notes=["feed off"], errors=[])
            finish_run(session, run, status="success", notes=["and again"])
        with Session(engine) as session:
            new = get_run(session, run)
            assert new is not None
            assert (new.notes, new.errors) == (["feed off", "and again"], [])
        downgrade(url, "0006_reject_kind")
        with engine.connect() as connection:
            kept = connection.execute(text("SELECT count(*) FROM crawl_runs")).scalar()
        assert kept == 2
    finally:
        engine.dispose()
