"""Run accounting that tells the truth, against a real throwaway redis-server.

Pending is exact through retries, redirects, dupefilter drops and repeated reports; Redis
failing never raises into the crawl and never lets a run close ``success``; one run per blog;
the run-accounting times read from the environment; leases keep Redis-held runs alive.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from scrapy import Request, Spider
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from blogingest.cli import main
from crawler.distributed.accounting import RunAccounting
from crawler.distributed.config import TOKEN_META, distributed_settings, run_key
from crawler.distributed.run_accounts import RunAccounts
from crawler.distributed.run_leases import keep_runs_alive
from crawler.distributed.start_jobs import StartJob, push_start_job, waiting_jobs
from crawler.spiders.distributed_plan import accounted
from storage import runs
from storage.models import CrawlRun
from tests.support.crawl import migrated_sqlite
from tests.support.distributed import fresh_redis
from tests.support.redis_server import (
    free_port,
    redis_url,  # noqa: F401 - the fixture, by name
)

pytestmark = pytest.mark.redis

BLOG = "https://example.blogspot.com/"
POST = f"{BLOG}2024/01/post.html"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def server(redis_url: str) -> redis.Redis:  # noqa: F811 - the imported fixture
    return fresh_redis(redis_url)


@pytest.fixture
def factory(tmp_path: Path) -> sessionmaker[Session]:
    return sessionmaker(create_engine(migrated_sqlite(tmp_path)), expire_on_commit=False)


def _transaction(factory: sessionmaker[Session]) -> Any:
    def transaction(work: Any) -> Any:
        with factory.begin() as session:
            return work(session)

    return transaction


def _new_run(factory: sessionmaker[Session], **kwargs: Any) -> int:
    with factory.begin() as session:
        return runs.start_run(session, blog_url=BLOG, **kwargs)


def _status(factory: sessionmaker[Session], run_id: int) -> tuple[str, list[str]]:
    with factory() as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None
        return run.status, list(run.errors)


def _pending(server: redis.Redis, run_id: int) -> int:
    return int(server.hget(run_key(run_id), "pending") or 0)


def _opened(server: redis.Redis, factory: sessionmaker[Session], clock: Any = None) -> tuple:  # type: ignore[type-arg]
    accounts = RunAccounts(server, clock=clock or FakeClock())
    run_id = _new_run(factory)
    assert accounts.open(run_id, BLOG) is None
    return accounts, RunAccounting(accounts), run_id


def test_a_retried_request_continues_its_original_in_the_pending_count(
    server: redis.Redis, factory: sessionmaker[Session]
) -> None:
    _, accounting, run_id = _opened(server, factory)
    original = Request(POST, meta={"run_id": run_id})
    accounting.entered(original)
    spider = Spider("test")
    spider.crawler = get_crawler(Spider)
    retry = get_retry_request(original, spider=spider, reason="500", max_retry_times=3)
    assert retry is not None
    accounting.entered(retry)  # the engine schedules the copy; the original never returns
    assert _pending(server, run_id) == 1
    accounting.left(retry.meta)  # the copy's callback finished
    assert _pending(server, run_id) == 0


def test_a_redirect_dropped_by_the_seen_set_leaves_the_count_once(
    server: redis.Redis, factory: sessionmaker[Session]
) -> None:
    _, accounting, run_id = _opened(server, factory)
    original = Request(POST, meta={"run_id": run_id})
    accounting.entered(original)
    redirected = original.replace(url=f"{BLOG}2024/01/moved.html")
    accounting.entered(redirected)
    accounting.left(redirected.meta)  # request_dropped: already seen in this run
    accounting.left(redirected.meta)  # a second report of the same request changes nothing
    accounting.left(original.meta)
    assert _pending(server, run_id) == 0


def test_requests_a_callback_yields_never_inherit_its_token(
    server: redis.Redis, factory: sessionmaker[Session]
) -> None:
    _, accounting, run_id = _opened(server, factory)
    parent = Request(POST, meta={"run_id": run_id})
    accounting.entered(parent)

    class Spider:
        def __init__(self) -> None:
            self.handled: list[dict[str, Any]] = []

        def request_handled(self, meta: dict[str, Any]) -> None:
            accounting.left(meta)
            self.handled.append(meta)

        @accounted
        def parse(self, response: HtmlResponse) -> Any:
            yield Request(f"{BLOG}feeds/posts/default", meta=dict(response.meta))

    spider = Spider()
    response = HtmlResponse(POST, body=b"<html></html>", request=parent)
    [child] = list(spider.parse(response))
    assert TOKEN_META not in child.meta
    accounting.entered(child)
    assert _pending(server, run_id) == 1  # the child is pending; the parent left
    assert len(spider.handled) == 1


def test_redis_down_never_raises_into_the_crawl_and_the_run_is_remembered_lost() -> None:
    dead = redis.Redis(
        host="127.0.0.1", port=free_port(), socket_connect_timeout=0.2, retry=Retry(NoBackoff(), 0)
    )
    accounting = RunAccounting(RunAccounts(dead))
    accounting.entered(Request(POST, meta={"run_id": 7}))
    accounting.count(7, "new")
    accounting.error(7, "boom")
    assert accounting.first_sighting(7, POST) is True
    assert accounting.take_fetch(7) == 0
    accounting.left({"run_id": 7, TOKEN_META: "abc"})
    assert set(accounting.lost) == {7}
    assert "Redis unreachable" in accounting.lost[7]


def test_a_run_that_lost_counts_closes_interrupted_with_the_reason_never_success(
    server: redis.Redis, factory: sessionmaker[Session]
) -> None:
    clock = FakeClock()
    accounts, accounting, run_id = _opened(server, factory, clock)
    accounting.lost[run_id] = "Redis unreachable while counting new: Connection refused"
    accounting.settle_lost(_transaction(factory))
    assert accounting.lost == {}
    clock.now += 5
    closed = accounting.finish_due(_transaction(factory), settle=5, stall=60)
    assert closed == [run_id]
    status, errors = _status(factory, run_id)
    assert status == "interrupted"
    reason = "Redis unreachable while counting new: Connection refused"
    assert errors == [f"run accounting lost: {reason}"]


def test_a_run_whose_redis_state_vanished_is_closed_by_the_worker_that_notices(
    server: redis.Redis, factory: sessionmaker[Session]
) -> None:
    _, accounting, run_id = _opened(server, factory)
    server.flushdb()  # Redis restarted empty
    accounting.count(run_id, "new")  # refused: the run is not active any more
    assert run_id in accounting.lost
    accounting.settle_lost(_transaction(factory))
    status, errors = _status(factory, run_id)
    assert status == "interrupted"
    assert "Redis state was gone" in errors[0]
    assert server.keys("blogingest:run:*") == []


def test_a_second_run_of_an_open_blog_is_refused_until_the_first_closes(
    server: redis.Redis, factory: sessionmaker[Session]
) -> None:
    clock = FakeClock()
    accounts, _, first = _opened(server, factory, clock)
    second = _new_run(factory)
    assert accounts.open(second, BLOG) == first
    assert accounts.holder_of(BLOG) == first
    clock.now += 20
    assert accounts.finish_due(_transaction(factory), settle=5, stall=60) == [first]
    assert accounts.holder_of(BLOG) is None
    assert accounts.open(second, BLOG) is None


def test_worker_enqueue_refuses_a_blog_already_queued(
    server: redis.Redis,
    redis_url: str,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["worker", "--redis", redis_url, "--enqueue", BLOG]) == 0
    assert main(["worker", "--redis", redis_url, "--enqueue", BLOG, BLOG]) == 0
    assert waiting_jobs(server) == 1
    assert "skip blog=https://example.blogspot.com/: a run of it is already queued" in (
        capsys.readouterr().err
    )


def test_run_accounting_times_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLOGINGEST_RUN_STALL_SECONDS", "42")
    monkeypatch.setenv("BLOGINGEST_RUN_SETTLE_SECONDS", "3.5")
    monkeypatch.setenv("BLOGINGEST_IDLE_POLL_SECONDS", "0.2")
    settings = distributed_settings("redis://127.0.0.1:1/0")
    assert settings["BLOGINGEST_RUN_STALL_SECONDS"] == 42.0
    assert settings["BLOGINGEST_RUN_SETTLE_SECONDS"] == 3.5
    assert settings["BLOGINGEST_IDLE_POLL_SECONDS"] == 0.2
    monkeypatch.setenv("BLOGINGEST_RUN_SETTLE_SECONDS", "0")
    with pytest.raises(ValueError, match="BLOGINGEST_RUN_SETTLE_SECONDS='0'"):
        distributed_settings("redis://127.0.0.1:1/0")


def test_a_bad_timing_in_the_environment_is_a_one_line_usage_error(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    redis_url: str,  # noqa: F811
) -> None:
    monkeypatch.setenv("BLOGINGEST_RUN_STALL_SECONDS", "soon")
    assert main(["worker", "--redis", redis_url]) == 2
    assert capsys.readouterr().err.strip().endswith("is not a number of seconds")


def test_the_settings_flag_overrides_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from blogingest.arguments import project_scrapy_settings

    monkeypatch.setenv("BLOGINGEST_RUN_STALL_SECONDS", "42")
    mode = distributed_settings("redis://127.0.0.1:1/0")
    settings = project_scrapy_settings(["BLOGINGEST_RUN_STALL_SECONDS=7"], mode=mode)
    assert settings.getfloat("BLOGINGEST_RUN_STALL_SECONDS") == 7.0
    assert project_scrapy_settings([], mode=mode).getfloat("BLOGINGEST_RUN_STALL_SECONDS") == 42


def test_workers_keep_redis_held_runs_alive_and_close_orphans(
    server: redis.Redis, factory: sessionmaker[Session]
) -> None:
    expired = datetime.now(UTC) - timedelta(seconds=1)
    accounts = RunAccounts(server)
    active = _new_run(factory, lease_expires_at=expired)
    accounts.open(active, BLOG)
    queued = _new_run(factory, lease_expires_at=expired)
    push_start_job(server, StartJob(blog="https://queued.blogspot.com/", run_id=queued))
    orphan = _new_run(factory, lease_expires_at=expired)  # its Redis state was emptied
    closed = keep_runs_alive(server, _transaction(factory), lease=60)
    assert closed == [orphan]
    assert _status(factory, orphan)[0] == "interrupted"
    assert _status(factory, active)[0] == _status(factory, queued)[0] == "running"
    with factory() as session:
        run = session.get(CrawlRun, active)
        assert run is not None
        assert run.lease_expires_at is not None
        assert run.lease_expires_at > datetime.now(UTC) + timedelta(seconds=50)


class _SchedulerContext:
    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory = factory
        self.trigger = "schedule"


def test_the_scheduler_closes_a_blogs_orphaned_run_before_queueing_it_again(
    server: redis.Redis,
    factory: sessionmaker[Session],
    redis_url: str,  # noqa: F811
) -> None:
    from crawler.distributed.start_jobs import pop_start_job
    from scheduler.distributed import enqueue_blog_run

    orphan = _new_run(factory, lease_expires_at=datetime.now(UTC) - timedelta(seconds=1))
    enqueue_blog_run(_SchedulerContext(factory), BLOG, ["blogingest", "crawl", BLOG], redis_url)
    assert _status(factory, orphan)[0] == "interrupted"
    job = pop_start_job(server)
    assert job is not None
    assert job.run_id not in (None, orphan)
    assert _status(factory, job.run_id)[0] == "running"
