"""The distributed pieces against a real throwaway redis-server: settings switch, run-scoped
seen-set, start jobs, run accounting, the scheduler's enqueue and ``blogingest worker``."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis
from scrapy import Request
from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler as ScrapyRedisScheduler
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from blogingest.cli import main
from crawler.crawl_options import CrawlOptionError
from crawler.distributed.config import ACTIVE_RUNS_KEY, distributed_settings, seen_key
from crawler.distributed.dupefilter import RunScopedDupeFilter
from crawler.distributed.run_accounts import RunAccounts
from crawler.distributed.start_jobs import (
    StartJob,
    StartJobError,
    blog_busy,
    pop_start_job,
    push_start_job,
    waiting_jobs,
)
from scheduler.distributed import enqueue_blog_run, job_from_argv
from storage import runs
from storage.models import CrawlRun
from tests.support.crawl import migrated_sqlite
from tests.support.distributed import fresh_redis
from tests.support.redis_server import redis_url  # noqa: F401 - the fixture, by name

pytestmark = pytest.mark.redis

BLOG = "https://example.blogspot.com/"


@pytest.fixture
def server(redis_url: str) -> redis.Redis:  # noqa: F811 - the imported fixture
    return fresh_redis(redis_url)


@pytest.fixture
def factory(tmp_path: Path) -> sessionmaker[Session]:
    return sessionmaker(create_engine(migrated_sqlite(tmp_path)), expire_on_commit=False)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_without_redis_url_the_crawl_stays_single_process() -> None:
    assert distributed_settings(None) == {}
    assert distributed_settings("  ") == {}


def test_redis_url_selects_scrapy_redis_with_a_persistent_queue() -> None:
    settings = distributed_settings("redis://127.0.0.1:6379/0")
    # scrapy-redis's scheduler, subclassed to ride out Redis outages (shared_queue.py).
    assert settings["SCHEDULER"] == "crawler.distributed.shared_queue.SharedQueueScheduler"
    assert issubclass(load_object(settings["SCHEDULER"]), ScrapyRedisScheduler)
    assert settings["DUPEFILTER_CLASS"].endswith("RunScopedDupeFilter")
    assert settings["SCHEDULER_PERSIST"] is True
    assert settings["REDIS_URL"] == "redis://127.0.0.1:6379/0"


def test_a_url_is_seen_once_per_run_and_again_in_the_next_run(server: redis.Redis) -> None:
    seen = RunScopedDupeFilter(server, key="test:seen")
    url = "https://example.blogspot.com/2024/01/post.html"
    assert not seen.request_seen(Request(url, meta={"run_id": 1}))
    assert seen.request_seen(Request(url, meta={"run_id": 1}))
    assert not seen.request_seen(Request(url, meta={"run_id": 2}))
    assert not seen.request_seen(Request(url))
    assert seen.request_seen(Request(url))


def test_a_start_job_survives_the_round_trip_through_redis(server: redis.Redis) -> None:
    job = StartJob(blog=BLOG, run_id=7, full=True, max_posts=5, trigger="schedule")
    assert push_start_job(server, job) == 1
    assert pop_start_job(server) == job
    assert pop_start_job(server) is None


def test_each_start_job_goes_to_exactly_one_taker(server: redis.Redis) -> None:
    for number in range(20):
        push_start_job(server, StartJob(blog=f"https://blog{number}.blogspot.com/"))
    other = redis.Redis(connection_pool=server.connection_pool)
    taken = []
    while (job := pop_start_job(server if len(taken) % 2 else other)) is not None:
        taken.append(job.blog)
    assert len(taken) == len(set(taken)) == 20
    assert waiting_jobs(server) == 0


def test_an_unreadable_start_job_is_named_in_one_line(server: redis.Redis) -> None:
    server.lpush("blogingest:start_jobs", '{"blog": "ftp://nope"}')
    with pytest.raises(StartJobError, match="ftp://nope"):
        pop_start_job(server)
    assert waiting_jobs(server) == 0


def _run(factory: sessionmaker[Session]) -> int:
    with factory.begin() as session:
        return runs.start_run(session, blog_url=BLOG)


def _status(factory: sessionmaker[Session], run_id: int) -> tuple[str, dict[str, int]]:
    with factory() as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None
        return run.status, dict(run.counts)


def _transaction(factory: sessionmaker[Session]):  # type: ignore[no-untyped-def]
    def transaction(work):  # type: ignore[no-untyped-def]
        with factory.begin() as session:
            return work(session)

    return transaction


def _opened(
    server: redis.Redis, factory: sessionmaker[Session]
) -> tuple[FakeClock, RunAccounts, int]:
    """A stored run of the blog, opened in Redis accounts that read a fake clock."""
    clock = FakeClock()
    accounts = RunAccounts(server, clock=clock)
    run_id = _run(factory)
    accounts.open(run_id, BLOG)
    return clock, accounts, run_id


def test_a_run_closes_successfully_once_nothing_is_pending_and_it_settled(
    server: redis.Redis, factory: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="crawler.distributed.run_accounts")
    clock, accounts, run_id = _opened(server, factory)
    accounts.scheduled(run_id)
    accounts.scheduled(run_id)
    accounts.count(run_id, "fetched", 2)
    for note in ("feed-first: summary only", "feed-first: summary only", "feed off"):
        assert accounts.note(run_id, note)  # each once, apart from the counts and errors
    accounts.done(run_id)
    assert accounts.finish_due(_transaction(factory), settle=5, stall=60) == []
    assert accounts.done(run_id) == 0
    clock.now += 4
    assert accounts.finish_due(_transaction(factory), settle=5, stall=60) == []
    clock.now += 2
    assert accounts.finish_due(_transaction(factory), settle=5, stall=60) == [run_id]
    assert _status(factory, run_id) == ("success", {"fetched": 2})
    assert accounts.active_runs() == []
    # The operator's one line per run end, as the scheduler writes it for local runs.
    [line] = [r.getMessage() for r in caplog.records if " end blog=" in r.getMessage()]
    assert line.startswith(f"run {run_id} end blog={BLOG} status=success exit=0 duration=")
    assert line.endswith(
        "s found=0 fetched=2 stored=0 from_feed=0 new=0 updated=0 unchanged=0 rejected=0 failed=0"
        " note: feed-first: summary only (+1 more)"
    )
    with factory() as session:
        record = session.get(CrawlRun, run_id)
        assert record is not None
        assert (record.notes, record.errors) == (["feed-first: summary only", "feed off"], [])
    assert not accounts.note(run_id, "too late")  # the run is closed


def test_a_run_stays_open_while_a_worker_holds_an_unwritten_store_batch_of_it(
    server: redis.Redis, factory: sessionmaker[Session]
) -> None:
    # Nothing pending and quiet for longer than the settle time, but a worker's store batch
    # with records of the run is not committed yet: closing now would miss them (and count
    # the run's comments from the database without them).
    clock, accounts, run_id = _opened(server, factory)
    accounts.scheduled(run_id)
    assert accounts.hold(run_id, 1)
    accounts.done(run_id)
    clock.now += 30
    assert accounts.finish_due(_transaction(factory), settle=5, stall=60) == []
    assert accounts.hold(run_id, -1)  # the batch is committed
    assert accounts.finish_due(_transaction(factory), settle=5, stall=60) == []  # just touched
    clock.now += 6
    assert accounts.finish_due(_transaction(factory), settle=5, stall=60) == [run_id]
    assert _status(factory, run_id)[0] == "success"
    assert not accounts.hold(run_id, 1)  # closed: a late batch is refused, and says so


def test_a_batch_held_by_a_worker_that_died_ends_the_run_interrupted_after_the_stall(
    server: redis.Redis, factory: sessionmaker[Session]
) -> None:
    clock, accounts, run_id = _opened(server, factory)
    assert accounts.hold(run_id, 1)
    clock.now += 59
    assert accounts.finish_due(_transaction(factory), settle=5, stall=60) == []
    clock.now += 2
    assert accounts.finish_due(_transaction(factory), settle=5, stall=60) == [run_id]
    assert _status(factory, run_id)[0] == "interrupted"


def test_closing_a_run_forgets_its_seen_set(
    server: redis.Redis, factory: sessionmaker[Session]
) -> None:
    clock = FakeClock()
    accounts = RunAccounts(server, clock=clock)
    seen = RunScopedDupeFilter(server, key="blogingest:seen")
    run_id = _run(factory)
    accounts.open(run_id, BLOG)
    assert not seen.request_seen(Request(f"{BLOG}2024/01/a.html", meta={"run_id": run_id}))
    assert server.scard(seen_key(run_id)) == 1
    clock.now += 10
    accounts.finish_due(_transaction(factory), settle=5, stall=60)
    assert not server.exists(seen_key(run_id))


def test_only_one_worker_closes_a_run(server: redis.Redis, factory: sessionmaker[Session]) -> None:
    clock = FakeClock()
    first, second = RunAccounts(server, clock=clock), RunAccounts(server, clock=clock)
    run_id = _run(factory)
    first.open(run_id, BLOG)
    clock.now += 10
    server.sadd(ACTIVE_RUNS_KEY, run_id)  # as if listed again before the claim
    closed = first.finish_due(_transaction(factory), settle=5, stall=60)
    closed += second.finish_due(_transaction(factory), settle=5, stall=60)
    assert closed == [run_id]


def test_a_run_whose_requests_died_with_a_worker_closes_as_interrupted(
    server: redis.Redis, factory: sessionmaker[Session]
) -> None:
    clock, accounts, run_id = _opened(server, factory)
    accounts.scheduled(run_id, 3)
    clock.now += 59
    assert accounts.finish_due(_transaction(factory), settle=5, stall=60) == []
    clock.now += 1
    assert accounts.finish_due(_transaction(factory), settle=5, stall=60) == [run_id]
    assert _status(factory, run_id)[0] == "interrupted"


def test_a_fatal_error_fails_the_run_and_is_kept(
    server: redis.Redis, factory: sessionmaker[Session]
) -> None:
    clock, accounts, run_id = _opened(server, factory)
    accounts.error(run_id, "home page: connection refused", fatal=True)
    clock.now += 10
    accounts.finish_due(_transaction(factory), settle=5, stall=60)
    with factory() as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None
        assert (run.status, run.errors) == ("failed", ["home page: connection refused"])


def test_the_scheduler_reads_crawl_flags_into_the_start_job() -> None:
    argv = ["blogingest", "crawl", BLOG, "--full", "--max-posts", "30"]
    job = job_from_argv(BLOG, argv, run_id=4, trigger="schedule")
    assert (job.full, job.max_posts, job.include_pages, job.run_id) == (True, 30, False, 4)
    with pytest.raises(CrawlOptionError, match="max_posts"):
        job_from_argv(BLOG, [*argv[:-1], "lots"], run_id=4, trigger="schedule")


class _Context:
    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory = factory
        self.trigger = "schedule"


def test_the_scheduler_queues_a_due_blog_once_while_it_is_waiting(
    server: redis.Redis,
    factory: sessionmaker[Session],
    redis_url: str,  # noqa: F811
) -> None:
    context = _Context(factory)
    enqueue_blog_run(context, BLOG, ["blogingest", "crawl", BLOG], redis_url)
    enqueue_blog_run(context, BLOG, ["blogingest", "crawl", BLOG], redis_url)
    assert waiting_jobs(server) == 1
    assert blog_busy(server, BLOG)
    job = pop_start_job(server)
    assert job is not None
    assert job.run_id is not None
    assert _status(factory, job.run_id)[0] == "running"


def test_the_scheduler_starts_the_workers_at_the_url_as_configured(
    server: redis.Redis,
    factory: sessionmaker[Session],
    redis_url: str,  # noqa: F811
) -> None:
    # An http-only custom domain must not be turned into its canonical https home.
    written = "http://www.custom-domain.example/"
    home = "https://www.custom-domain.example/"
    enqueue_blog_run(
        _Context(factory), home, ["blogingest", "crawl", written], redis_url, start_url=written
    )
    job = pop_start_job(server)
    assert job is not None
    assert job.blog == written
    with factory() as session:
        run = session.get(CrawlRun, job.run_id)
        assert run is not None
        assert run.blog_url == home


def test_worker_without_redis_is_a_one_line_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert main(["worker"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "REDIS_URL" in err[0]


def test_worker_enqueue_refuses_a_bad_blog_url_by_name(
    server: redis.Redis,
    redis_url: str,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["worker", "--redis", redis_url, "--enqueue", "ftp://x"]) == 2
    assert "ftp://x" in capsys.readouterr().err
    assert waiting_jobs(server) == 0


def test_worker_enqueue_queues_one_start_job_per_blog(
    server: redis.Redis,
    redis_url: str,  # noqa: F811
) -> None:
    assert main(["worker", "--redis", redis_url, "--enqueue", BLOG, "other.blogspot.com"]) == 0
    assert waiting_jobs(server) == 2
    assert {job.blog for job in (pop_start_job(server), pop_start_job(server)) if job} == {
        BLOG,
        "https://other.blogspot.com/",
    }


def test_with_redis_url_a_due_scheduler_job_is_queued_instead_of_run(
    server: redis.Redis,
    factory: sessionmaker[Session],
    redis_url: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from scheduler.process import ShutdownSwitch
    from scheduler.runner import RunnerContext, bind_runner, run_blog_crawl

    monkeypatch.setenv("REDIS_URL", redis_url)
    marker = tmp_path / "crawl-ran"
    bind_runner(RunnerContext(factory=factory, database_url="unused", switch=ShutdownSwitch()))
    try:
        report = run_blog_crawl(
            job_id="blog-1",
            blog_url=BLOG,
            argv=["touch", str(marker), "--include-pages"],
            timeout_s=30,
            kill_grace_s=1,
        )
    finally:
        bind_runner(None)
    assert report is None
    assert not marker.exists()
    job = pop_start_job(server)
    assert job is not None
    assert (job.blog, job.include_pages, job.trigger) == (BLOG, True, "schedule")
    assert job.run_id is not None
    assert _status(factory, job.run_id)[0] == "running"
