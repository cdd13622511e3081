"""The scheduler in distributed mode, end to end: ``REDIS_URL`` set, it queues, a worker crawls.

``blogingest schedule --once`` records a run and queues the due blog in Redis instead of
running a crawl; a long-lived ``blogingest worker`` takes it, crawls the fake blog and closes
the run. The blog is configured as ``http://``: the fake server answers plain HTTP only (an
https request would go through its proxy as CONNECT and be refused), so the test also shows
that the workers start at the URL as configured.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakeblog import FakeBlogger, serve
from tests.support.crawl import ROOT, crawl_env, crawl_runs, migrated_sqlite, stored_posts
from tests.support.distributed import fresh_redis, running_workers, wait_for
from tests.support.redis_server import redis_url  # noqa: F401 - the fixture, by name

pytestmark = [pytest.mark.slow, pytest.mark.redis]

BLOG = "http://bench.blogspot.com/"


def test_the_scheduler_queues_a_due_blog_and_a_worker_crawls_it_into_one_closed_run(
    redis_url: str,  # noqa: F811 - the imported fixture
    tmp_path: Path,
) -> None:
    server = fresh_redis(redis_url)
    database_url = migrated_sqlite(tmp_path)
    config = tmp_path / "schedule.toml"
    config.write_text(f'[[blog]]\nurl = "{BLOG}"\ninterval = "1h"\n')
    site = FakeBlogger.single(posts=30)
    with (
        serve(site) as blog_server,
        running_workers(
            1,
            redis_url=redis_url,
            database_url=database_url,
            proxy_url=blog_server.proxy_url,
            workdir=tmp_path,
        ),
    ):
        env = crawl_env(database_url, blog_server.proxy_url, tmp_path / "data")
        env["REDIS_URL"] = redis_url
        scheduled = subprocess.run(
            [sys.executable, "-m", "blogingest", "schedule", "--config", str(config), "--once"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert scheduled.returncode == 0, scheduled.stderr
        wait_for(
            lambda: [run.status for run in crawl_runs(database_url)] not in ([], ["running"]),
            timeout=60,
            what="the queued run to close",
        )
    [run] = crawl_runs(database_url)
    assert (run.blog_url, run.trigger, run.status) == (
        "https://bench.blogspot.com/",
        "schedule",
        "success",
    )
    assert set(stored_posts(database_url)) == set(site.expected_posts())
    assert run.counts["new"] == 30
    assert f"run {run.id} queued blog=https://bench.blogspot.com/" in scheduled.stderr
    assert not server.keys("blogingest:run:*")  # the closed run's accounts are gone
