"""Scale-out speed: 1, 2 and 3 ``blogingest worker`` processes beside the single-process crawl.

    python -m benchmarks.scaleout_speed [--posts 2000] [--workers 1,2,3]

A throwaway redis-server and PostgreSQL run on 127.0.0.1 (``tests/support``); each mode gets a
fresh schema and a fresh fake blog process (``python -m tests.fakeblog``, layouts theme,
reached through its proxy). Modes:

- ``single``: ``blogingest crawl http://HOST/ --full`` without ``REDIS_URL`` (process start-up
  included, about 1-2 s);
- ``N workers``: N long-lived workers already running; one start job is pushed and the clock
  runs until every post is stored (worker start-up excluded: workers are long-lived).

Reported: post pages per second of wall time, counted as posts stored (with ``--full`` each
stored post is exactly one fetched post page; the few feed and sitemap pages are not counted).
The machine's cores are shared by the fake server, PostgreSQL, Redis and the workers: on 2
cores more workers mostly compete for CPU.
Politeness is relaxed for loopback as in ``benchmarks.crawl_speed``. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

from benchmarks.crawl_speed import HOST, FakeBlogProcess, _env, _settings_args
from storage.migrate import upgrade
from storage.models import Post

ROOT = Path(__file__).resolve().parent.parent


def _reset(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    upgrade(database_url)


def _stored(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(select(func.count()).select_from(Post)) or 0)
    finally:
        engine.dispose()


def _wait_stored(database_url: str, posts: int, started: float, timeout: float) -> float:
    while time.perf_counter() - started < timeout:
        if _stored(database_url) >= posts:
            return time.perf_counter() - started
        time.sleep(0.2)
    raise RuntimeError(f"only {_stored(database_url)} of {posts} posts stored in {timeout:.0f}s")


def measure_single(posts: int, database_url: str, workdir: Path) -> float:
    """Seconds for one non-Redis crawl process to store every post (start-up included)."""
    _reset(database_url)
    server = FakeBlogProcess(posts)
    try:
        env = _env(server.proxy_url, DATABASE_URL=database_url, BLOGINGEST_DATA_DIR=str(workdir))
        env.pop("REDIS_URL", None)
        command = [sys.executable, "-m", "blogingest", "crawl", f"http://{HOST}/", "--full"]
        started = time.perf_counter()
        subprocess.run(
            [*command, *_settings_args()],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        seconds = time.perf_counter() - started
        if _stored(database_url) != posts:
            raise RuntimeError(f"the single crawl stored {_stored(database_url)} of {posts} posts")
        return seconds
    finally:
        server.stop()


def measure_workers(
    count: int, posts: int, database_url: str, redis_url: str, workdir: Path
) -> float:
    """Seconds for ``count`` running workers to store every post after one start job."""
    import redis

    from crawler.distributed.start_jobs import StartJob, push_start_job

    _reset(database_url)
    server = redis.Redis.from_url(redis_url)
    server.flushdb()
    blog = FakeBlogProcess(posts)
    env = _env(blog.proxy_url, DATABASE_URL=database_url, BLOGINGEST_DATA_DIR=str(workdir))
    env["REDIS_URL"] = redis_url
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "blogingest", "worker", "--id", f"w{n}", *_settings_args()],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in range(1, count + 1)
    ]
    try:
        time.sleep(4)  # let every worker start and open its connections
        started = time.perf_counter()
        push_start_job(server, StartJob(blog=f"http://{HOST}/", full=True))
        return _wait_stored(database_url, posts, started, timeout=600)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=60)
        blog.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--workers", default="1,2,3", help="comma-separated worker counts")
    args = parser.parse_args(argv)
    from tests.support.postgres import running_postgres
    from tests.support.redis_server import running_redis

    counts = [int(part) for part in args.workers.split(",") if part.strip()]
    print(
        f"{args.posts} posts, {os.cpu_count()} cores; "
        "post pages fetched and stored per second of wall time"
    )
    with (
        running_redis() as redis_url,
        running_postgres() as database_url,
        tempfile.TemporaryDirectory(prefix="scaleout-") as workdir,
    ):
        seconds = measure_single(args.posts, database_url, Path(workdir))
        print(f"single process (no Redis): {seconds:6.1f} s  {args.posts / seconds:6.1f} pages/s")
        for count in counts:
            seconds = measure_workers(count, args.posts, database_url, redis_url, Path(workdir))
            rate = args.posts / seconds
            print(f"{count} worker(s) on Redis:     {seconds:6.1f} s  {rate:6.1f} pages/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
