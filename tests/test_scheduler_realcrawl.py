"""The scheduler driving the real ``blogingest crawl`` against the local fake Blogger.

``--once``, SIGTERM mid-crawl, and a long-lived worker on 2 s intervals with a healthy and a
failing blog.

The crawl subprocesses reach the fake blog through ``http_proxy`` (inherited from the
worker's environment), so nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.database import make_engine, make_session_factory
from storage.models import CrawlRun, Post
from tests.fakeblog import BlogSpec, FakeBlogger, FakeServer, Fault, FaultKind, serve
from tests.support.scheduler import PROJECT_ROOT, migrated_sqlite_url, wait_for

pytestmark = pytest.mark.slow

HOST = "fake-sched.blogspot.com"
# Polite delays off: the fake blog is local and the test should take seconds, not minutes.
FAST = 'set = ["AUTOTHROTTLE_ENABLED=0", "DOWNLOAD_DELAY=0"]'


@pytest.fixture
def proxy_env(request: pytest.FixtureRequest) -> Iterator[tuple[FakeServer, dict[str, str]]]:
    faults = getattr(request, "param", {})
    site = FakeBlogger([BlogSpec(HOST, posts=6, faults=faults)])
    with serve(site) as server:
        # Written for the page path (a slow post page holds the crawl open), as crawl_env's.
        env = {**os.environ, "http_proxy": server.proxy_url, "no_proxy": ""}
        yield server, {**env, "BLOGINGEST_SOURCE": "pages"}


def _config(directory: Path, interval: str = "1h") -> Path:
    path = directory / "schedule.toml"
    path.write_text(
        f'[worker]\nshutdown_grace = "0.5s"\nkill_grace = "20s"\n'
        f'[[blog]]\nurl = "http://{HOST}/"\ninterval = "{interval}"\noptions = {{ {FAST} }}\n'
    )
    return path


def _schedule(config: Path, db: str, env: dict[str, str], *extra: str) -> list[str]:
    return [sys.executable, "-m", "blogingest", "schedule", "--config", str(config), "--db", db,
            *extra]  # fmt: skip


def _run_worker_until(
    command: list[str],
    env: dict[str, str],
    log: Path,
    condition: Callable[[], bool],
    what: str,
    *,
    timeout: float = 60,
) -> int | None:
    """Start the worker (output to ``log``), SIGTERM it once ``condition`` holds; its exit code.

    The worker is killed if it outlives the test, so a failed wait never leaves it running.
    """
    with log.open("wb") as output:
        worker = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        wait_for(condition, timeout, what)
        worker.send_signal(signal.SIGTERM)
        return worker.wait(timeout=40)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()


def _stored(db: str) -> tuple[list[CrawlRun], int]:
    engine = make_engine(db)
    try:
        with make_session_factory(engine)() as session:
            runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
            posts = session.scalar(select(func.count()).select_from(Post)) or 0
    finally:
        engine.dispose()
    return runs, posts


def test_once_crawls_the_fake_blog_and_records_a_scheduled_run(
    tmp_path: Path, proxy_env: tuple[FakeServer, dict[str, str]]
) -> None:
    _, env = proxy_env
    db = migrated_sqlite_url(tmp_path)
    command = _schedule(_config(tmp_path), db, env, "--once")
    result = subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=90, check=False
    )
    assert result.returncode == 0, result.stderr
    runs, posts = _stored(db)
    [run] = runs
    assert (run.blog_url, run.trigger, run.status, run.exit_code) == (
        f"https://{HOST}/",
        "schedule",
        "success",
        0,
    )
    assert run.counts["new"] == 6
    assert posts == 6
    assert f"run {run.id} end blog=https://{HOST}/ status=success exit=0" in result.stderr


SLOW_NEWEST = {0: Fault(FaultKind.SLOW, delay=4.0)}


@pytest.mark.parametrize("proxy_env", [SLOW_NEWEST], indirect=True)
def test_sigterm_mid_crawl_records_an_interrupted_run_and_keeps_fetched_posts(
    tmp_path: Path, proxy_env: tuple[FakeServer, dict[str, str]]
) -> None:
    server, env = proxy_env
    db = migrated_sqlite_url(tmp_path)
    log = tmp_path / "worker.log"
    exit_code = _run_worker_until(
        _schedule(_config(tmp_path), db, env),
        env,
        log,
        lambda: server.count(path_prefix="/20", status=200) >= 3,
        "3 posts fetched",
    )
    assert exit_code == 0
    runs, posts = _stored(db)
    [run] = runs
    assert run.status == "interrupted", log.read_text()
    assert run.finished_at is not None
    assert posts >= 3  # what was fetched before the stop is stored
    assert run.counts["new"] == posts
    assert "Traceback" not in log.read_text()


GONE = "gone-sched.blogspot.com"  # not served: the fake server answers 502 for it


def _two_blog_config(directory: Path) -> Path:
    path = directory / "schedule.toml"
    path.write_text(
        '[worker]\nshutdown_grace = "10s"\nkill_grace = "5s"\n'
        f'[[blog]]\nurl = "http://{HOST}/"\ninterval = "2s"\noptions = {{ {FAST} }}\n'
        f'[[blog]]\nurl = "http://{GONE}/"\ninterval = "2s"\n'
        'backoff = { initial = "1s", max = "2s" }\n'
        'options = { set = ["AUTOTHROTTLE_ENABLED=0", "RETRY_ENABLED=0"] }\n'
    )
    return path


def _runs_of(runs: list[CrawlRun], host: str) -> list[CrawlRun]:
    return [run for run in runs if run.blog_url == f"https://{host}/"]


def test_a_worker_on_2s_intervals_crawls_on_time_never_overlaps_and_retries_a_failing_blog(
    tmp_path: Path, proxy_env: tuple[FakeServer, dict[str, str]]
) -> None:
    _, env = proxy_env
    db = migrated_sqlite_url(tmp_path)
    log = tmp_path / "worker.log"

    def enough() -> bool:
        runs, _ = _stored(db)
        good = [r for r in _runs_of(runs, HOST) if r.status == "success"]
        bad = [r for r in _runs_of(runs, GONE) if r.finished_at is not None]
        return len(good) >= 3 and len(bad) >= 2

    exit_code = _run_worker_until(
        _schedule(_two_blog_config(tmp_path), db, env),
        env,
        log,
        enough,
        "3 successful runs of the good blog and 2 of the failing one",
        timeout=90,
    )
    assert exit_code == 0
    runs, posts = _stored(db)
    text = log.read_text()
    assert "Traceback" not in text
    assert all(run.finished_at is not None for run in runs), text  # every run was closed
    assert posts == 6

    good = _runs_of(runs, HOST)
    assert [run.status for run in good][:3] == ["success"] * 3, text
    for before, after in zip(good, good[1:], strict=False):
        assert before.finished_at is not None
        # Never two crawls of one blog at once, and the next one on the schedule's next tick:
        # at most one interval (2 s) after the previous ended, plus slack for a busy machine.
        assert after.started_at >= before.finished_at
        assert (after.started_at - before.finished_at).total_seconds() <= 2 + 2.5, text

    failing = [run for run in _runs_of(runs, GONE) if run.status != "interrupted"]
    assert len(failing) >= 2
    assert {(run.status, run.exit_code) for run in failing} == {("failed", 1)}
    assert all("HTTP 502" in " ".join(run.errors) for run in failing)
