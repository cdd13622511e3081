"""Run ``blogingest worker`` subprocesses on a throwaway Redis + PostgreSQL against the fake blog.

Workers get the loopback settings of :mod:`tests.support.crawl` plus short run-accounting
times (a run closes 4 s after its last change; a stalled run after ``stall`` seconds).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import redis
from sqlalchemy import create_engine, text

from storage.migrate import upgrade
from tests.support.crawl import LOOPBACK_SETTINGS, ROOT, crawl_env, crawl_runs


def fresh_schema(database_url: str) -> str:
    """Drop and re-create ``database_url``'s public schema, migrate it to head; return the URL.

    The test session shares one PostgreSQL database, which may hold another test's schema.
    """
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    upgrade(database_url)
    return database_url


def runs_closed(database_url: str, count: int) -> bool:
    """Whether at least ``count`` runs are recorded and none of them is still running."""
    runs = crawl_runs(database_url)
    return len(runs) >= count and all(run.status != "running" for run in runs)


@contextmanager
def running_workers(
    count: int,
    *,
    redis_url: str,
    database_url: str,
    proxy_url: str,
    workdir: Path,
    stall: float = 3.0,
    settings: Sequence[str] = (),
) -> Iterator[dict[str, subprocess.Popen[bytes]]]:
    """Start ``count`` workers named ``w1``..; SIGTERM (then SIGKILL) the survivors on exit.

    ``settings`` are more ``NAME=VALUE`` Scrapy settings for every worker.
    """
    env = crawl_env(database_url, proxy_url, workdir / "data")
    env["REDIS_URL"] = redis_url
    workers: dict[str, subprocess.Popen[bytes]] = {}
    logs: list[IO[bytes]] = []
    try:
        for number in range(1, count + 1):
            name = f"w{number}"
            log = (workdir / f"{name}.log").open("wb")
            logs.append(log)
            workers[name] = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "blogingest",
                    "worker",
                    "--id",
                    name,
                    *LOOPBACK_SETTINGS,
                    "-s",
                    "BLOGINGEST_RUN_SETTLE_SECONDS=4",
                    "-s",
                    f"BLOGINGEST_RUN_STALL_SECONDS={stall}",
                    *(part for setting in settings for part in ("-s", setting)),
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        yield workers
    finally:
        for process in workers.values():
            if process.poll() is None:
                process.terminate()
        for process in workers.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs:
            log.close()


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    """Poll ``condition`` every 0.25 s; raise ``AssertionError`` naming ``what`` on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def fresh_redis(redis_url: str) -> redis.Redis:
    """A client on an emptied Redis database (tests share one redis-server)."""
    server = redis.Redis.from_url(redis_url)
    server.flushdb()
    return server


def responses_by_worker(server: redis.Redis) -> dict[str, int]:
    """Responses each worker handled (the ``blogingest:worker_responses`` hash)."""
    raw = server.hgetall("blogingest:worker_responses")
    return {key.decode(): int(value) for key, value in raw.items()}
