"""Crawl-run records and the incremental-recrawl state, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.crawl_state import fetch_validators, known_posts, save_fetch_validators
from storage.repository import upsert_posts
from storage.runs import (
    UnknownRunError,
    finish_run,
    last_successful_run,
    list_runs,
    start_run,
)
from storage.values import Validators
from tests.support.storage_posts import make_post

pytest_plugins = ["tests.support.storage"]

T0 = datetime(2024, 6, 1, 8, 0, tzinfo=UTC)


def test_a_run_is_started_finished_by_its_crawl_and_closed_by_the_scheduler(storage_sessions):
    with storage_sessions.begin() as session:
        run_id = start_run(session, blog_url="http://example.blogspot.de/", started_at=T0)
    with storage_sessions() as session:
        (running,) = list_runs(session)
        assert (running.status, running.counts, running.blog_url) == (
            "running",
            {},
            "https://example.blogspot.com/",
        )
    with storage_sessions.begin() as session:  # the crawl (--run-id) writes its counts
        finish_run(session, run_id, status="success", counts={"new": 3})
    with storage_sessions.begin() as session:  # the scheduler's verdict keeps those counts
        finish_run(session, run_id, status="failed", errors=["HTTP 503"], exit_code=1)
    with storage_sessions() as session:
        (run,) = list_runs(session, blog_url="https://example.blogspot.com/2024/01/x.html")
    assert (run.status, run.counts, run.errors, run.exit_code) == (
        "failed",
        {"new": 3},
        ["HTTP 503"],
        1,
    )
    assert run.started_at == T0
    assert run.finished_at is not None
    assert run.finished_at.tzinfo is not None


def test_the_last_successful_run_ignores_later_failures(storage_sessions):
    with storage_sessions.begin() as session:
        for hours, status in ((0, "success"), (1, "success"), (2, "failed")):
            run_id = start_run(
                session, blog_url="https://a.blogspot.com/", started_at=T0 + timedelta(hours=hours)
            )
            finish_run(session, run_id, status=status, counts={"new": hours})
        other = start_run(session, blog_url="https://b.blogspot.com/")
        finish_run(session, other, status="success")
    with storage_sessions() as session:
        last = last_successful_run(session, "https://a.blogspot.com/")
        assert last is not None
        assert last.counts == {"new": 1}
        assert last_successful_run(session, "https://never.blogspot.com/") is None
        assert [
            r.status for r in list_runs(session, blog_url="https://a.blogspot.com/", last=2)
        ] == [
            "failed",
            "success",
        ]


def test_finishing_with_an_unknown_status_or_run_is_refused(storage_sessions):
    with storage_sessions.begin() as session:
        run_id = start_run(session, blog_url="https://a.blogspot.com/")
        with pytest.raises(ValueError, match="'done'"):
            finish_run(session, run_id, status="done")
        with pytest.raises(UnknownRunError, match="9999"):
            finish_run(session, 9999, status="success")


def test_fetch_validators_round_trip_and_are_replaced(storage_sessions):
    url = "https://a.blogspot.com/feeds/posts/default"
    with storage_sessions.begin() as session:
        save_fetch_validators(session, {url: Validators(etag='W/"1"', last_status=200)})
    with storage_sessions.begin() as session:
        save_fetch_validators(
            session, {url: Validators(etag='W/"2"', last_modified="Sat, 01 Jun 2024 08:00:00 GMT")}
        )
    with storage_sessions() as session:
        found = fetch_validators(session, [url, "https://a.blogspot.com/other"])
    assert list(found) == [url]
    assert (found[url].etag, found[url].last_modified) == ('W/"2"', "Sat, 01 Jun 2024 08:00:00 GMT")
    assert found[url].fetched_at is not None


def test_known_posts_lists_the_stored_posts_of_one_blog(storage_sessions):
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1, comment_count=4), make_post(2)])
        upsert_posts(
            session,
            [
                make_post(
                    3, url="https://other.blogspot.com/2024/01/x.html", blog_url=None, blog_id="55"
                )
            ],
        )
    with storage_sessions() as session:
        known = known_posts(session, "http://example.blogspot.com/")
    assert set(known) == {make_post(1).url, make_post(2).url}
    first = known[make_post(1).url]
    assert (first.post_id, first.comment_count, first.updated_at) == (
        "9000001",
        4,
        make_post(1).updated,
    )
    assert len(first.content_hash) == 64
