"""The job function: each run is a recorded subprocess, guarded by a per-blog DB lock."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from scheduler.locks import STALE_RUN_ERROR, acquire_lock, attach_run
from scheduler.process import ShutdownSwitch
from scheduler.runner import RunnerContext, RunReport, bind_runner, run_blog_crawl
from storage.database import make_engine, make_session_factory
from storage.models import CrawlRun
from storage.runs import start_run
from tests.support.scheduler import migrated_sqlite_url, stand_in_command

BLOG = "https://stand-in.blogspot.com/"
JOB = f"crawl:{BLOG}"


@pytest.fixture
def factory(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    url = migrated_sqlite_url(tmp_path)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    bind_runner(RunnerContext(factory=factory, database_url=url, switch=ShutdownSwitch()))
    yield factory
    bind_runner(None)
    engine.dispose()


def _crawl(*options: str, timeout_s: float = 20) -> RunReport | None:
    argv = [*stand_in_command(), BLOG, *options]
    return run_blog_crawl(job_id=JOB, blog_url=BLOG, argv=argv, timeout_s=timeout_s, kill_grace_s=2)


def _runs(factory: sessionmaker[Session]) -> list[CrawlRun]:
    with factory() as session:
        return list(session.query(CrawlRun).order_by(CrawlRun.id))


def test_a_successful_run_is_recorded_with_the_counts_the_crawl_wrote(
    factory: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="scheduler.runner")
    report = _crawl("--new", "3")
    [run] = _runs(factory)
    assert (run.status, run.exit_code, run.trigger) == ("success", 0, "schedule")
    assert run.counts["new"] == 3
    assert run.finished_at is not None
    assert report is not None
    messages = [record.getMessage() for record in caplog.records]
    assert messages[0] == f"run {run.id} start blog={BLOG} trigger=schedule"
    assert messages[1].startswith(f"run {run.id} end blog={BLOG} status=success exit=0 duration=")
    assert messages[1].endswith(
        "s stored=0 from_feed=0 new=3 updated=0 unchanged=2 rejected=0 failed=0"
    )


def test_a_run_with_notes_ends_with_its_first_note_and_no_reason(
    factory: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="scheduler.runner")
    report = _crawl("--note", "feed-first: summary only: post pages fetched", "--note", "other")
    [run] = _runs(factory)
    assert (run.status, run.errors) == ("success", [])
    assert report is not None
    assert report.reason is None
    [end] = [r.getMessage() for r in caplog.records if " end blog=" in r.getMessage()]
    assert end.endswith(" note: feed-first: summary only: post pages fetched (+1 more)")
    assert " reason: " not in end


def test_a_failing_run_is_recorded_with_its_exit_code_and_last_error_line(
    factory: sessionmaker[Session],
) -> None:
    first = _crawl("--exit-code", "4")
    second = _crawl("--exit-code", "4")
    runs = _runs(factory)
    assert [(r.status, r.exit_code) for r in runs] == [("failed", 4), ("failed", 4)]
    assert runs[0].errors == ["crawl exited with 4: stand-in: exiting with 4 as told"]
    assert first is not None
    assert second is not None
    assert [first.consecutive_failures, second.consecutive_failures] == [1, 2]


def test_the_end_line_of_a_failed_run_gives_its_reason(
    factory: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="scheduler.runner")
    report = _crawl("--exit-code", "4")
    assert report is not None
    assert report.reason == "crawl exited with 4: stand-in: exiting with 4 as told"
    [end] = [r.getMessage() for r in caplog.records if " end blog=" in r.getMessage()]
    assert end.endswith("failed=0 reason: crawl exited with 4: stand-in: exiting with 4 as told")


def test_a_run_past_its_timeout_is_recorded_timed_out(factory: sessionmaker[Session]) -> None:
    _crawl("--sleep", "30", timeout_s=0.7)
    [run] = _runs(factory)
    assert run.status == "timed_out"
    assert run.errors == ["timed out after 0.7s and was stopped"]
    assert run.counts["new"] == 1  # the stand-in flushed its counts on SIGTERM


def test_a_missing_crawl_command_is_a_failed_run_not_a_crash(
    factory: sessionmaker[Session],
) -> None:
    run_blog_crawl(
        job_id=JOB, blog_url=BLOG, argv=["/nonexistent/crawl"], timeout_s=5, kill_grace_s=1
    )
    [run] = _runs(factory)
    assert (run.status, run.exit_code) == ("failed", 127)


def test_a_blog_locked_by_a_live_process_is_skipped_without_a_run(
    factory: sessionmaker[Session],
) -> None:
    other = acquire_lock(factory, JOB, ttl_s=60, holder=f"{socket.gethostname()}:1")
    assert other is not None  # pid 1 is alive: a live holder
    assert _crawl() is None
    assert _runs(factory) == []


def test_a_stale_lock_is_taken_over_and_its_orphaned_run_closed_interrupted(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        orphan = start_run(session, blog_url=BLOG, trigger="schedule")
    stale = acquire_lock(factory, JOB, ttl_s=-1, holder="elsewhere:123")
    assert stale is not None
    attach_run(factory, stale, orphan)
    assert _crawl() is not None
    runs = _runs(factory)
    assert [(r.id, r.status) for r in runs] == [(orphan, "interrupted"), (orphan + 1, "success")]
    assert runs[0].errors == [STALE_RUN_ERROR]


def test_after_a_run_the_lock_is_released(factory: sessionmaker[Session]) -> None:
    _crawl()
    assert acquire_lock(factory, JOB, ttl_s=60) is not None


def test_nothing_runs_once_the_worker_is_stopping(tmp_path: Path) -> None:
    url = migrated_sqlite_url(tmp_path)
    engine = make_engine(url)
    switch = ShutdownSwitch()
    switch.begin(0)
    bind_runner(RunnerContext(make_session_factory(engine), url, switch))
    try:
        assert _crawl() is None
    finally:
        bind_runner(None)
    with make_session_factory(engine)() as session:
        assert session.query(CrawlRun).count() == 0
    engine.dispose()


def test_a_database_failure_is_one_logged_line_not_a_crash(
    factory: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    with factory.begin() as session:
        session.execute(text("DROP TABLE crawl_runs"))
    assert _crawl() is None
    [record] = [r for r in caplog.records if r.name == "scheduler.runner"]
    assert record.getMessage() == (
        f"run of blog={BLOG} not recorded: database error: no such table: crawl_runs"
    )
