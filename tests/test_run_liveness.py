"""A run left ``running`` by a process that is gone is closed ``interrupted`` by whoever looks.

The rule (``storage.run_liveness``): an owner ``host:pid`` gone from this host, or a lease
that passed, means dead. ``blogingest runs`` and ``db load-spool`` look first.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from blogingest.cli import main
from storage import run_liveness, runs
from storage.models import CrawlRun
from tests.fakeblog import FakeBlogger, serve
from tests.fakeblog.faults import Fault, FaultKind
from tests.support.crawl import (
    LOOPBACK_SETTINGS,
    ROOT,
    crawl_env,
    crawl_runs,
    migrated_sqlite,
    run_crawl,
    stored_posts,
)
from tests.support.distributed import wait_for

pytest_plugins = ["tests.support.storage"]

BLOG = "https://example.blogspot.com/"
KILLED_BLOG = "http://bench.blogspot.com/"
NOW = datetime.now(UTC)


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return migrated_sqlite(tmp_path)


@pytest.fixture
def factory(database_url: str) -> sessionmaker[Session]:
    return sessionmaker(create_engine(database_url), expire_on_commit=False)


@pytest.fixture
def sessions(storage_sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """The rule's tests run on SQLite and on PostgreSQL (``tests.support.storage``)."""
    return storage_sessions


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _start(
    factory: sessionmaker[Session], *, owner: str | None, lease: timedelta, blog: str = BLOG
) -> int:
    with factory.begin() as session:
        return runs.start_run(
            session,
            blog_url=blog,
            started_at=NOW - timedelta(minutes=5),
            owner=owner,
            lease_expires_at=NOW + lease,
        )


def _run(factory: sessionmaker[Session], run_id: int) -> CrawlRun:
    with factory() as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None
        return run


def _close(factory: sessionmaker[Session], **kwargs: object) -> list[int]:
    with factory.begin() as session:
        closed = run_liveness.close_dead_runs(session, now=NOW, **kwargs)  # type: ignore[arg-type]
    return [run_id for run_id, _ in closed]


def test_a_run_whose_process_is_gone_from_this_host_is_closed_at_once(
    sessions: sessionmaker[Session],
) -> None:
    gone = _start(sessions, owner=f"{socket.gethostname()}:{_dead_pid()}", lease=timedelta(hours=1))
    alive = _start(sessions, owner=run_liveness.owner_tag(), lease=timedelta(hours=1))
    assert _close(sessions) == [gone]
    run = _run(sessions, gone)
    assert (run.status, run.exit_code) == ("interrupted", 1)
    [error] = run.errors
    assert "is gone" in error
    assert _run(sessions, alive).status == "running"


def test_a_run_whose_lease_passed_is_closed_from_any_host(sessions: sessionmaker[Session]) -> None:
    expired = _start(sessions, owner="elsewhere:123", lease=-timedelta(seconds=1))
    shared = _start(sessions, owner=None, lease=-timedelta(seconds=1))
    held = _start(sessions, owner="elsewhere:123", lease=timedelta(seconds=30))
    assert _close(sessions) == [expired, shared]
    assert "lease expired" in _run(sessions, shared).errors[0]
    assert _run(sessions, held).status == "running"


def test_runs_known_alive_elsewhere_and_other_blogs_are_spared(
    sessions: sessionmaker[Session],
) -> None:
    spared = _start(sessions, owner=None, lease=-timedelta(seconds=1))
    other_blog = _start(
        sessions, owner=None, lease=-timedelta(seconds=1), blog="https://other.blogspot.com/"
    )
    assert _close(sessions, spare={spared}, blog_urls=[BLOG]) == []
    assert _close(sessions, spare={spared}) == [other_blog]


def test_a_renewed_lease_keeps_a_run_alive(sessions: sessionmaker[Session]) -> None:
    run_id = _start(sessions, owner=None, lease=-timedelta(seconds=1))
    with sessions.begin() as session:
        assert run_liveness.renew_leases(session, [run_id], until=NOW + timedelta(minutes=2)) == 1
    assert _close(sessions) == []


def test_a_closed_run_is_never_reopened_or_closed_again(sessions: sessionmaker[Session]) -> None:
    run_id = _start(sessions, owner=None, lease=-timedelta(seconds=1))
    with sessions.begin() as session:
        runs.finish_run(session, run_id, status="success")
        assert run_liveness.renew_leases(session, [run_id], until=NOW) == 0
    assert _close(sessions) == []
    assert _run(sessions, run_id).status == "success"


def test_a_lease_that_is_not_a_positive_number_falls_back_to_the_default() -> None:
    assert run_liveness.lease_seconds("30") == 30.0
    for bad in ("0", "-5", "soon", ""):
        assert run_liveness.lease_seconds(bad) == run_liveness.DEFAULT_LEASE_SECONDS


def test_blogingest_runs_closes_a_dead_run_before_showing_it(
    factory: sessionmaker[Session], database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run_id = _start(
        factory,
        owner=f"{socket.gethostname()}:{_dead_pid()}",
        lease=timedelta(days=365),
    )
    assert main(["runs", "--db", database_url]) == 0
    captured = capsys.readouterr()
    assert f"run {run_id} closed as interrupted" in captured.err
    assert "interrupted" in captured.out
    assert _run(factory, run_id).status == "interrupted"


def test_db_load_spool_closes_dead_runs_too(
    factory: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    run_id = _start(factory, owner=None, lease=-timedelta(days=1))
    empty = tmp_path / "crawl-empty.jsonl"
    empty.write_text("")
    main(["db", "load-spool", "--db", database_url, str(empty)])
    assert _run(factory, run_id).status == "interrupted"


def _killed_crawl(database_url: str, proxy_url: str, data_dir: Path, *args: str) -> None:
    """Start a crawl of the slow fake blog and SIGKILL it once it has stored some posts."""
    crawl = subprocess.Popen(
        [sys.executable, "-m", "blogingest", "crawl", KILLED_BLOG, *args, *LOOPBACK_SETTINGS],
        cwd=ROOT,
        env=crawl_env(database_url, proxy_url, data_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    before = len(crawl_runs(database_url))

    def working() -> bool:  # its own run is open and it stored posts (one batch at least)
        found = crawl_runs(database_url)
        return len(found) > before and bool(found[-1].counts or stored_posts(database_url))

    try:
        wait_for(working, timeout=60, what="the crawl to open its run and store")
        time.sleep(2.5)  # a store batch (every 2 s) lands
    finally:
        crawl.send_signal(signal.SIGKILL)
        crawl.wait(timeout=30)


@pytest.mark.slow
def test_a_killed_crawls_run_is_closed_by_the_next_crawl_and_by_runs(
    database_url: str, factory: sessionmaker[Session], tmp_path: Path
) -> None:
    site = FakeBlogger.single(posts=200)
    blog = site.blogs[0]
    for post in blog.posts:
        blog.set_fault(post, Fault(FaultKind.SLOW, delay=0.5))
    with serve(site) as blog_server:
        _killed_crawl(database_url, blog_server.proxy_url, tmp_path / "data")
        [killed] = crawl_runs(database_url)
        assert killed.status == "running"  # kill -9: nothing closed it
        for post in blog.posts:
            blog.set_fault(post, None)
        done = run_crawl(
            [KILLED_BLOG],
            database_url=database_url,
            data_dir=tmp_path / "data",
            proxy_url=blog_server.proxy_url,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        first, second = crawl_runs(database_url)
        assert (first.status, second.status) == ("interrupted", "success")
        assert "is gone" in first.errors[0]
        for post in blog.posts:
            blog.set_fault(post, Fault(FaultKind.SLOW, delay=0.5))
        _killed_crawl(database_url, blog_server.proxy_url, tmp_path / "data", "--full")
    assert crawl_runs(database_url)[-1].status == "running"
    assert main(["runs", "--db", database_url]) == 0
    assert crawl_runs(database_url)[-1].status == "interrupted"


@pytest.mark.slow
def test_a_double_ctrl_c_still_stores_the_batch_in_hand_and_closes_the_run(
    database_url: str, tmp_path: Path
) -> None:
    site = FakeBlogger.single(posts=200)
    blog = site.blogs[0]
    for post in blog.posts:
        blog.set_fault(post, Fault(FaultKind.SLOW, delay=0.3))
    with serve(site) as blog_server:
        crawl = subprocess.Popen(
            [sys.executable, "-m", "blogingest", "crawl", KILLED_BLOG, *LOOPBACK_SETTINGS]
            + ["-s", "STORE_BATCH_SECONDS=600"],  # everything fetched stays in the batch
            cwd=ROOT,
            env=crawl_env(database_url, blog_server.proxy_url, tmp_path / "data"),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        wait_for(
            lambda: blog_server.count(path_prefix="/20") >= 20, timeout=60, what="20 post fetches"
        )
        time.sleep(0.5)
        crawl.send_signal(signal.SIGINT)
        time.sleep(0.3)
        crawl.send_signal(signal.SIGINT)
        output, _ = crawl.communicate(timeout=60)
    assert stored_posts(database_url), output[-2000:]
    assert "records in hand were written" in output
    [run] = crawl_runs(database_url)
    assert run.status == "interrupted"


@pytest.mark.slow
def test_a_live_crawl_renews_its_lease_so_nobody_closes_it(
    database_url: str, tmp_path: Path
) -> None:
    site = FakeBlogger.single(posts=300)
    blog = site.blogs[0]
    for post in blog.posts:
        blog.set_fault(post, Fault(FaultKind.SLOW, delay=0.5))
    with serve(site) as blog_server:
        crawl = subprocess.Popen(
            [sys.executable, "-m", "blogingest", "crawl", KILLED_BLOG, *LOOPBACK_SETTINGS]
            + ["-s", "BLOGINGEST_RUN_LEASE_SECONDS=2"],  # renewed every 0.5 s
            cwd=ROOT,
            env=crawl_env(database_url, blog_server.proxy_url, tmp_path / "data"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(lambda: bool(crawl_runs(database_url)), timeout=60, what="the run row")
            leases = []
            for _ in range(4):  # 6 s: three leases' worth
                time.sleep(1.5)
                assert main(["runs", "--db", database_url]) == 0
                [run] = crawl_runs(database_url)
                assert run.status == "running", run.errors
                leases.append(run.lease_expires_at)
            assert leases == sorted(leases)
            assert len(set(leases)) > 1
        finally:
            crawl.wait(timeout=120)
    [run] = crawl_runs(database_url)
    assert run.status == "success"
