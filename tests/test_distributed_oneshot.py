"""``blogingest crawl URL`` with ``REDIS_URL`` set: a one-shot member of the shared crawl.

It opens the blog's run, crawls through the shared Redis queue like a worker, and exits once
that run is closed, with the run's outcome as its exit code.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.fakeblog import FakeBlogger, serve
from tests.support.crawl import (
    LOOPBACK_SETTINGS,
    ROOT,
    crawl_env,
    crawl_runs,
    migrated_sqlite,
    stored_posts,
)
from tests.support.distributed import fresh_redis
from tests.support.redis_server import redis_url  # noqa: F401 - the fixture, by name

pytestmark = [pytest.mark.slow, pytest.mark.redis]


def _crawl(redis: str, database_url: str, proxy_url: str, data_dir: Path, *args: str) -> Any:
    env = crawl_env(database_url, proxy_url, data_dir)
    env["REDIS_URL"] = redis
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "blogingest",
            "crawl",
            "http://bench.blogspot.com/",
            *args,
            *LOOPBACK_SETTINGS,
            "-s",
            "BLOGINGEST_RUN_SETTLE_SECONDS=1",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


def test_a_crawl_with_redis_url_stores_its_blog_and_exits_when_its_run_closed(
    redis_url: str,  # noqa: F811 - the imported fixture
    tmp_path: Path,
) -> None:
    server = fresh_redis(redis_url)
    database_url = migrated_sqlite(tmp_path)
    site = FakeBlogger.single(posts=40)
    with serve(site) as blog_server:
        done = _crawl(redis_url, database_url, blog_server.proxy_url, tmp_path / "data")
    assert done.returncode == 0, done.stderr[-2000:]
    assert set(stored_posts(database_url)) == set(site.expected_posts())
    assert [run.status for run in crawl_runs(database_url)] == ["success"]
    assert server.scard("blogingest:active_runs") == 0
    assert server.zcard("blogingest:requests") == 0


def test_max_posts_is_one_budget_for_the_whole_distributed_run(
    redis_url: str,  # noqa: F811 - the imported fixture
    tmp_path: Path,
) -> None:
    fresh_redis(redis_url)
    database_url = migrated_sqlite(tmp_path)
    with serve(FakeBlogger.single(posts=40)) as blog_server:
        done = _crawl(
            redis_url, database_url, blog_server.proxy_url, tmp_path / "data", "--max-posts", "7"
        )
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(stored_posts(database_url)) == 7
