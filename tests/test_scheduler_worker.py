"""The worker as users run it: ``python -m blogingest schedule`` against a stand-in crawl.

One worker serves three blogs on 1 s intervals for a few seconds: a slow one (each crawl
outlasts its interval), a failing one (backoff 1 s, 2 s, ...) and a quick one; then it is
sent SIGTERM while the slow crawl is mid-run.
"""

from __future__ import annotations

import json
import signal
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from storage.database import make_engine, make_session_factory
from storage.models import CrawlRun
from tests.support.scheduler import (
    migrated_sqlite_url,
    read_trace,
    stand_in_command,
    start_worker,
    wait_for,
)

pytestmark = pytest.mark.slow

SLOW = "https://slow.blogspot.com/"
FAILING = "https://failing.blogspot.com/"
QUICK = "https://quick.blogspot.com/"
RUN_COLUMNS = ("id", "blog_url", "status", "exit_code", "counts", "errors", "started_at")


@dataclass(frozen=True)
class Session:
    """What one worker session left behind."""

    trace: list[tuple[str, str, int, float]]
    runs: list[dict[str, object]]
    log: str
    exit_code: int
    stopped_at: float  # Unix time just after the worker exited
    next_runs: dict[str, float]  # job id -> next run time (Unix) left in the job store

    def starts(self, blog: str) -> list[float]:
        return [moment for event, url, _, moment in self.trace if event == "start" and url == blog]

    def runs_of(self, blog: str) -> list[dict[str, object]]:
        return [run for run in self.runs if run["blog_url"] == blog]


def write_config(path: Path, body: str) -> Path:
    command = json.dumps(stand_in_command())
    path.write_text(f"[worker]\ncrawl_command = {command}\n{body}")
    return path


def read_runs(db_url: str) -> list[dict[str, object]]:
    engine = make_engine(db_url)
    try:
        with make_session_factory(engine)() as db:
            runs = db.query(CrawlRun).order_by(CrawlRun.id)
            return [{column: getattr(run, column) for column in RUN_COLUMNS} for run in runs]
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Session:
    directory = tmp_path_factory.mktemp("worker")
    db_url = migrated_sqlite_url(directory)
    trace = directory / "trace"
    config = write_config(
        directory / "schedule.toml",
        f"""shutdown_grace = "0.5s"
kill_grace = "2s"
[defaults]
interval = "1s"
timeout = "20s"
backoff = {{ initial = "1s", max = "2s" }}
[[blog]]
url = "{SLOW}"
options = {{ sleep = 1.5, trace = "{trace}" }}
[[blog]]
url = "{FAILING}"
options = {{ exit_code = 3, trace = "{trace}" }}
[[blog]]
url = "{QUICK}"
interval = "2s"
options = {{ trace = "{trace}" }}
""",
    )
    log = directory / "worker.log"
    worker = start_worker(config, db_url, log)
    try:
        # Signalled only while a slow crawl is known to be mid-run: its start is traced after
        # its handler is set, and most of its 1.5 s sleep is left. Seen late on a loaded
        # machine, a run may have ended and the next one not yet set its handler.
        wait_for(
            lambda: _mid_run(trace, SLOW, runs=3, within_s=1.0),
            20,
            "a third run of the slow blog, mid-run",
        )
        worker.send_signal(signal.SIGTERM)
        exit_code = worker.wait(timeout=15)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    return Session(
        read_trace(trace),
        read_runs(db_url),
        log.read_text(),
        exit_code,
        time.time(),
        _stored_next_runs(db_url),
    )


def _mid_run(trace: Path, blog: str, *, runs: int, within_s: float) -> bool:
    """Whether ``blog`` has started ``runs`` crawls, the last within ``within_s`` and not ended."""
    events = [(event, moment) for event, url, _, moment in read_trace(trace) if url == blog]
    if sum(event == "start" for event, _ in events) < runs:
        return False
    event, moment = events[-1]
    return event == "start" and time.time() - moment < within_s


def _starts(trace: Path, blog: str) -> list[float]:
    return [
        moment for event, url, _, moment in read_trace(trace) if event == "start" and url == blog
    ]


def test_a_quick_blog_runs_on_its_interval(session: Session) -> None:
    # started_at is written by the worker when the job fires (the crawl's own start lags
    # by its interpreter start-up), so it shows the schedule itself.
    starts = [run["started_at"] for run in session.runs_of(QUICK)]
    assert len(starts) >= 3
    first = starts[0]
    assert isinstance(first, datetime)
    for start in starts[1:]:
        assert isinstance(start, datetime)
        offset = (start - first).total_seconds()
        assert abs(offset - 2 * round(offset / 2)) < 0.5, offset


def test_a_crawl_slower_than_its_interval_never_overlaps_itself(session: Session) -> None:
    spans: dict[int, list[float]] = {}
    for event, url, run_id, moment in session.trace:
        if url == SLOW and event in {"start", "end", "sigterm"}:
            spans.setdefault(run_id, []).append(moment)
    ordered = sorted((times[0], times[-1]) for times in spans.values())
    assert len(ordered) >= 3
    for (_, previous_end), (next_start, _) in zip(ordered, ordered[1:], strict=False):
        assert next_start >= previous_end


def test_a_failing_blog_is_recorded_failed_and_retried_with_growing_delays(
    session: Session,
) -> None:
    runs = session.runs_of(FAILING)
    # The last run may be the one the SIGTERM interrupts.
    finished = runs if runs[-1]["status"] != "interrupted" else runs[:-1]
    assert finished
    assert {(run["status"], run["exit_code"]) for run in finished} == {("failed", 3)}
    starts = session.starts(FAILING)
    gaps = [later - earlier for earlier, later in zip(starts, starts[1:], strict=False)]
    assert gaps
    assert gaps[0] >= 1.8  # regular 1 s + backoff 1 s
    assert all(gap >= 2.8 for gap in gaps[1:])  # regular 1 s + backoff capped at 2 s
    assert "backoff blog=https://failing.blogspot.com/ failures=1" in session.log


def test_other_blogs_keep_running_while_one_fails(session: Session) -> None:
    assert len(session.runs_of(FAILING)) >= 2
    statuses = [run["status"] for run in session.runs_of(QUICK)]
    # The last quick run may be the one the SIGTERM interrupts.
    assert len(statuses) >= 3
    assert set(statuses[:-1]) == {"success"}
    assert statuses[-1] in {"success", "interrupted"}


def test_sigterm_during_a_crawl_exits_cleanly_with_the_run_recorded(session: Session) -> None:
    assert session.exit_code == 0
    last = max(session.runs_of(SLOW), key=lambda run: int(str(run["id"])))
    assert last["status"] == "interrupted"
    assert isinstance(last["counts"], dict)
    assert last["counts"]["new"] == 1  # flushed by the crawl on SIGTERM
    assert any(event == "sigterm" and url == SLOW for event, url, _, _ in session.trace)
    assert not [run for run in session.runs if run["status"] == "running"]
    assert "worker stopped" in session.log
    assert "Traceback" not in session.log


def test_a_crawl_interrupted_by_shutdown_is_due_again_at_the_next_start(
    session: Session,
) -> None:
    assert session.next_runs[f"crawl:{SLOW}"] <= session.stopped_at


def test_each_run_logs_one_start_and_one_end_line(session: Session) -> None:
    for run in session.runs:
        assert session.log.count(f"run {run['id']} start blog={run['blog_url']}") == 1
        assert session.log.count(f"run {run['id']} end blog={run['blog_url']}") == 1


def test_a_restart_keeps_the_persisted_next_run_time(tmp_path: Path) -> None:
    db_url = migrated_sqlite_url(tmp_path)
    config = write_config(
        tmp_path / "schedule.toml", f'[[blog]]\nurl = "{QUICK}"\ninterval = "1h"\n'
    )
    log = tmp_path / "worker.log"

    def serve_until(condition_text: str) -> None:
        worker = start_worker(config, db_url, log)
        try:
            wait_for(lambda: condition_text in log.read_text(), 15, condition_text)
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=15) == 0
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()

    serve_until("run 1 end")
    first_next_run = _stored_next_run_time(db_url)
    serve_until("kept=1 added=0 changed=0 removed=0")
    assert _stored_next_run_time(db_url) == first_next_run
    assert [run["id"] for run in read_runs(db_url)] == [1]  # not run again on restart


def test_a_worker_restarted_after_sigkill_waits_for_the_orphaned_crawl(tmp_path: Path) -> None:
    # Crawls run in their own session, so a SIGKILLed worker leaves its crawl running; the
    # lock records the crawl's pid, and the next worker must not start a second crawl.
    db_url = migrated_sqlite_url(tmp_path)
    trace = tmp_path / "trace"
    config = write_config(
        tmp_path / "schedule.toml",
        f'shutdown_grace = "0.5s"\n[[blog]]\nurl = "{SLOW}"\ninterval = "1s"\n'
        f'options = {{ sleep = 2, trace = "{trace}" }}\n',
    )
    log = tmp_path / "worker.log"
    first = start_worker(config, db_url, log)
    try:
        wait_for(lambda: bool(read_trace(trace)), 15, "the first crawl to start")
    finally:
        first.kill()
        first.wait()
    second = start_worker(config, db_url, log)
    try:
        wait_for(lambda: len(_starts(trace, SLOW)) >= 2, 20, "a crawl by the second worker")
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=15) == 0
    finally:
        if second.poll() is None:
            second.kill()
            second.wait()
    rows = read_trace(trace)
    orphan_end = next(moment for event, _, run_id, moment in rows if event == "end" and run_id == 1)
    assert _starts(trace, SLOW)[1] >= orphan_end
    assert "a crawl of it is already running" in log.read_text()
    # The stand-in does not close its run row (the real crawl does): taking over the stale
    # lock closes it, so no row stays "running" forever.
    assert read_runs(db_url)[0]["status"] == "interrupted"


def test_max_concurrent_bounds_crawls_running_at_once(tmp_path: Path) -> None:
    db_url = migrated_sqlite_url(tmp_path)
    trace = tmp_path / "trace"
    options = f'options = {{ sleep = 0.5, trace = "{trace}" }}'
    blogs = "".join(f'[[blog]]\nurl = "https://b{n}.blogspot.com/"\n{options}\n' for n in range(3))
    config = write_config(
        tmp_path / "schedule.toml", f'max_concurrent = 1\n[defaults]\ninterval = "1h"\n{blogs}'
    )
    log = tmp_path / "worker.log"
    worker = start_worker(config, db_url, log)
    try:
        wait_for(lambda: len([r for r in read_trace(trace) if r[0] == "end"]) == 3, 20, "3 runs")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=15) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    events = [event for event, _, _, _ in sorted(read_trace(trace), key=lambda row: row[3])]
    assert events == ["start", "end"] * 3  # one crawl at a time, all three ran


def _stored_next_runs(db_url: str) -> dict[str, float]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT id, next_run_time FROM apscheduler_jobs"))
            return {str(job_id): float(moment) for job_id, moment in rows}
    finally:
        engine.dispose()


def _stored_next_run_time(db_url: str) -> float:
    [moment] = _stored_next_runs(db_url).values()
    return moment
