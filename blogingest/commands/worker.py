"""``blogingest worker``: one long-lived crawl worker on the shared Redis frontier.

Needs ``REDIS_URL`` (``--redis`` or the environment) and a migrated database (``--db``, else
``DATABASE_URL``). The worker takes blog start jobs from Redis and requests from the shared
scrapy-redis queue until SIGTERM/SIGINT, then finishes what it holds and exits 0. With
``--enqueue URL...`` it only queues those blogs for the workers and exits (no crawling).
See ``docs/scaling.md``.
"""

from __future__ import annotations

import argparse
import logging
import os
from typing import Any

from blogingest.arguments import (
    add_database_option,
    add_scrapy_settings_option,
    crawler_process,
    project_scrapy_settings,
)

NAME = "worker"
HELP = "run a crawl worker on the shared Redis queue (REDIS_URL), or --enqueue blogs for it"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--redis", metavar="URL", help="Redis URL (default: env REDIS_URL)")
    add_database_option(parser)
    parser.add_argument(
        "--id", metavar="NAME", help="worker name in stats (default: env BLOGINGEST_WORKER_ID)"
    )
    parser.add_argument(
        "--enqueue", nargs="+", metavar="URL", help="queue these blogs for the workers and exit"
    )
    parser.add_argument("--full", action="store_true", help="with --enqueue: full recrawl")
    parser.add_argument(
        "--no-comments",
        action="store_true",
        help="with --enqueue: store no comments of these blogs (counts stay)",
    )
    add_scrapy_settings_option(parser, "CONCURRENT_REQUESTS=32")


def run(args: argparse.Namespace) -> int:
    from blogingest.errors import UsageError

    redis_url = args.redis or os.environ.get("REDIS_URL")
    if not redis_url:
        raise UsageError("no Redis: give --redis URL or set REDIS_URL")
    server = _connected(redis_url)
    if args.enqueue:
        return _enqueue(server, args.enqueue, full=args.full, comments=not args.no_comments)
    if args.id:
        os.environ["BLOGINGEST_WORKER_ID"] = args.id
    _exit_at_once(_work(redis_url, args))
    return 1  # not reached


def _exit_at_once(code: int) -> None:
    """End the process now that everything is written, skipping the interpreter's teardown.

    Freeing the heap of Scrapy, lxml and SQLAlchemy module by module took 0.5-2.5 s on a busy
    2-core machine after the crawl had closed in a few milliseconds, which made "stops within
    a second of SIGTERM" false. By now the store batch is flushed, run records are written,
    the database pool is disposed; the log and the standard streams are flushed here.
    """
    import sys

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(code)


def _connected(redis_url: str) -> Any:
    """Return a redis-py client that answered PING; else raise a one-line error."""
    import redis

    from blogingest.errors import CommandError, UsageError

    try:
        server = redis.Redis.from_url(redis_url)
        server.ping()
    except ValueError as error:
        raise UsageError(f"bad Redis URL {redis_url!r}: {error}") from None
    except redis.RedisError as error:
        raise CommandError(f"cannot reach Redis at {redis_url!r}: {error}") from None
    return server


def _enqueue(server: Any, blogs: list[str], *, full: bool, comments: bool) -> int:
    """Queue each blog unless a run of it is queued or open (one run per blog at a time).

    A refused blog is one line on stderr and in the log; the exit code is 0 (nothing failed:
    the blog will be crawled by the run already there).
    """
    import sys

    from blogingest.errors import UsageError
    from crawler.crawl_options import CrawlOptionError, parse_crawl_arguments
    from crawler.distributed.start_jobs import StartJob, blog_busy, push_start_job, waiting_jobs
    from crawler.urls import blog_home_url

    try:
        options = parse_crawl_arguments({"blogs": blogs, "full": full, "comments": comments})
    except CrawlOptionError as error:
        raise UsageError(str(error)) from None
    queued = 0
    for start in options.blogs:
        if blog_busy(server, start):
            message = f"skip blog={blog_home_url(start)}: a run of it is already queued or open"
            logging.getLogger(__name__).warning("%s", message)
            print(message, file=sys.stderr)
            continue
        push_start_job(server, StartJob.for_blog(options, start))
        queued += 1
    print(f"queued {queued} blog(s); {waiting_jobs(server)} start job(s) waiting")
    return 0


def _work(redis_url: str, args: argparse.Namespace) -> int:
    from crawler.crawl_process import crawl_start_up
    from crawler.pipelines.forced_stop import keep_after_forced_stop

    with crawl_start_up():
        process, crawler, database = _worker_process(redis_url, args)
    process.start()  # returns after SIGTERM/SIGINT and a graceful close
    keep_after_forced_stop(crawler)  # a second signal skipped the close: keep what is in hand
    database.dispose()
    return 0


def _worker_process(redis_url: str, args: argparse.Namespace) -> tuple[Any, Any, Any]:
    """Return the worker's ``CrawlerProcess``, its crawler and database, ready to start."""
    from blogingest.arguments import open_command_database
    from blogingest.errors import UsageError
    from crawler.distributed.config import distributed_settings
    from crawler.spiders.blogger import BloggerSpider

    try:
        mode = distributed_settings(redis_url)
    except ValueError as error:  # a run-accounting time in the environment it cannot read
        raise UsageError(str(error)) from None
    settings = project_scrapy_settings(args.set, mode=mode)
    database = open_command_database(args.db)  # one-line error for an unusable database
    settings.set("DATABASE_URL", database.url, "cmdline")  # the crawl shares this handle
    process = crawler_process(settings)  # at INFO it logs no scraped item (see its docstring)
    crawler = process.create_crawler(BloggerSpider)
    process.crawl(crawler)
    return process, crawler, database
