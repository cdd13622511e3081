"""Distributed mode of the scheduler (``REDIS_URL`` set): due blogs become Redis start jobs.

Instead of running a crawl process, a due job records a ``running`` crawl run (trigger
``schedule``) and pushes a start job naming it; a ``blogingest worker`` pops it and the
workers together crawl the blog and close the run (``crawler.distributed.run_accounts``).
A blog with a job still waiting or a run still open is skipped, like a held lock; its dead
runs (``storage.run_liveness``) are closed ``interrupted`` first. Backoff
does not apply here: the run's outcome is only known to the workers, later.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from crawler.crawl_options import CrawlOptionError, options_from_command_line
from crawler.distributed.run_leases import runs_held_in_redis
from crawler.distributed.start_jobs import StartJob, blog_busy, push_start_job
from storage.run_liveness import close_dead_runs
from storage.runs import start_run

logger = logging.getLogger(__name__)


def job_from_argv(blog_url: str, argv: Sequence[str], *, run_id: int, trigger: str) -> StartJob:
    """Read the crawl options of a crawl command line (``--full``, ``--max-posts N``, ...).

    The same flags the crawl reads, read by the same validator; raises
    :class:`CrawlOptionError` naming a bad blog URL or option value.
    """
    options = options_from_command_line(argv, blogs=[blog_url], run_id=run_id, trigger=trigger)
    return StartJob.for_blog(options, options.blogs[0])


def enqueue_blog_run(
    context: Any, blog_url: str, argv: Sequence[str], redis_url: str, *, start_url: str = ""
) -> None:
    """Record a run of ``blog_url`` and queue it for the workers (commits); skip a busy blog.

    ``blog_url`` is the blog's canonical home, its identity for run rows and the busy check;
    the workers start at ``start_url`` (the URL as configured, e.g. an http-only custom
    domain), or at ``blog_url`` when it is empty.

    ``context`` is the scheduler's ``RunnerContext`` (session factory, trigger). Errors are
    logged as one line; nothing is raised (the scheduler keeps going).
    """
    import redis

    try:
        server = redis.Redis.from_url(redis_url)
        _close_dead_runs(context, server, blog_url)
        if blog_busy(server, blog_url):
            logger.warning("skip blog=%s: a distributed run of it is queued or open", blog_url)
            return
        with context.factory.begin() as session:
            run_id = start_run(session, blog_url=blog_url, trigger=context.trigger)
        job = job_from_argv(start_url or blog_url, argv, run_id=run_id, trigger=context.trigger)
        waiting = push_start_job(server, job)
    except (redis.RedisError, SQLAlchemyError, ValueError, CrawlOptionError) as error:
        logger.error("could not queue blog=%s: %s", blog_url, str(error).splitlines()[0])
        return
    logger.info("run %d queued blog=%s (%d start jobs waiting)", run_id, blog_url, waiting)


def _close_dead_runs(context: Any, server: Any, blog_url: str) -> None:
    """Close the blog's dead runs (``storage.run_liveness``) before deciding it is busy.

    Runs Redis holds (open or queued) are alive whatever their lease says.
    """
    held = runs_held_in_redis(server)
    with context.factory.begin() as session:
        closed = close_dead_runs(session, blog_urls=[blog_url], spare=held)
    for run_id, reason in closed:
        logger.warning("run %d of %s closed as interrupted: %s", run_id, blog_url, reason)
