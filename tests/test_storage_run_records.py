"""Run bookkeeping for code outside storage: plain records and statuses, never ORM rows."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.runs import (
    RunRecord,
    finish_run,
    finish_run_if_running,
    get_run,
    run_status,
    run_statuses,
    start_run,
)

pytest_plugins = ["tests.support.storage"]

T0 = datetime(2024, 6, 1, 8, 0, tzinfo=UTC)
BLOG = "https://example.blogspot.com/"


def test_a_run_is_read_back_as_a_plain_record(storage_sessions):
    with storage_sessions.begin() as session:
        run_id = start_run(session, blog_url=BLOG, trigger="schedule", started_at=T0)
    with storage_sessions.begin() as session:
        closed = finish_run(session, run_id, status="failed", errors=["HTTP 503"], exit_code=1)
    with storage_sessions() as session:
        record = get_run(session, run_id)
        assert get_run(session, run_id + 1) is None
    assert isinstance(record, RunRecord)
    assert record == closed
    assert (record.id, record.blog_url, record.trigger, record.status) == (
        run_id,
        BLOG,
        "schedule",
        "failed",
    )
    assert (record.errors, record.exit_code, record.finished_at is not None) == (
        ["HTTP 503"],
        1,
        True,
    )


def test_statuses_are_given_for_the_runs_that_exist(storage_sessions):
    with storage_sessions.begin() as session:
        running = start_run(session, blog_url=BLOG)
        done = start_run(session, blog_url=BLOG)
        finish_run(session, done, status="success")
    with storage_sessions() as session:
        assert run_status(session, running) == "running"
        assert run_status(session, done + 100) is None
        assert run_statuses(session, [running, done, done, done + 100]) == {
            running: "running",
            done: "success",
        }
        assert run_statuses(session, []) == {}


def test_only_a_running_run_is_closed_by_finish_run_if_running(storage_sessions):
    with storage_sessions.begin() as session:
        running = start_run(session, blog_url=BLOG)
        done = start_run(session, blog_url=BLOG)
        finish_run(session, done, status="success", exit_code=0)
    with storage_sessions.begin() as session:
        assert finish_run_if_running(
            session, running, status="interrupted", errors=["lost"], exit_code=1
        )
        assert not finish_run_if_running(session, done, status="interrupted", exit_code=1)
        assert not finish_run_if_running(session, done + 100, status="interrupted")
    with storage_sessions() as session:
        interrupted, success = get_run(session, running), get_run(session, done)
    assert interrupted is not None
    assert success is not None
    assert (interrupted.status, interrupted.errors, interrupted.exit_code) == (
        "interrupted",
        ["lost"],
        1,
    )
    assert (success.status, success.errors, success.exit_code) == ("success", [], 0)
