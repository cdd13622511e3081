"""Start jobs: one JSON entry per blog run, pushed by the scheduler, popped by one worker.

The list :data:`~crawler.distributed.config.START_JOBS_KEY` is a plain Redis list: ``LPUSH``
to enqueue, ``RPOP`` (atomic) to take, so each job is opened by exactly one worker, which then
schedules the blog's home request into the shared scrapy-redis queue; from there any worker
continues. A job::

    {"blog": "https://name.blogspot.com/", "run_id": 12, "full": false,
     "max_posts": null, "include_pages": false, "trigger": "schedule", "source": null}

``run_id`` ``null``: the worker opens a new ``crawl_runs`` row itself.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from crawler.crawl_options import CrawlOptionError, blog_start_url
from crawler.distributed.config import START_JOBS_KEY
from crawler.feed_first.source import parse_source


class StartJobError(ValueError):
    """A start job that cannot be read; the message names the bad value."""


@dataclass(frozen=True)
class StartJob:
    """One blog run to open."""

    blog: str
    """Start URL, ``scheme://host[:port]/``."""
    run_id: int | None = None
    full: bool = False
    max_posts: int | None = None
    include_pages: bool = False
    trigger: str = "manual"
    source: str | None = None
    """Where post records come from (``auto``/``feed``/``pages``, docs/feeds.md); ``None``:
    the worker's own setting (``BLOGINGEST_SOURCE``)."""

    def to_json(self) -> str:
        """Return the job as one JSON object."""
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str | bytes) -> StartJob:
        """Read a job, or raise :class:`StartJobError` naming the bad entry."""
        try:
            raw = json.loads(text)
            blog = blog_start_url(str(raw["blog"]))
            run_id = raw.get("run_id")
            max_posts = raw.get("max_posts")
            return cls(
                blog=blog,
                run_id=int(run_id) if run_id is not None else None,
                full=bool(raw.get("full", False)),
                max_posts=int(max_posts) if max_posts is not None else None,
                include_pages=bool(raw.get("include_pages", False)),
                trigger=str(raw.get("trigger") or "manual"),
                source=parse_source(raw["source"]).value if raw.get("source") else None,
            )
        except (ValueError, TypeError, KeyError, AttributeError, CrawlOptionError) as error:
            shown = text.decode(errors="replace") if isinstance(text, bytes) else text
            raise StartJobError(f"unreadable start job {shown[:200]!r}: {error}") from None


def push_start_job(server: Any, job: StartJob) -> int:
    """Enqueue ``job``; return the number of jobs waiting."""
    return int(server.lpush(START_JOBS_KEY, job.to_json()))


def pop_start_job(server: Any) -> StartJob | None:
    """Take the oldest job (atomically: no other worker gets it), or ``None`` when there is none.

    Raises :class:`StartJobError` for an unreadable entry (it is removed, and named).
    """
    raw = server.rpop(START_JOBS_KEY)
    return None if raw is None else StartJob.from_json(raw)


def waiting_jobs(server: Any) -> int:
    """How many start jobs are waiting."""
    return int(server.llen(START_JOBS_KEY))


def blog_busy(server: Any, blog_url: str) -> bool:
    """Whether ``blog_url`` has a start job waiting or a run still open in Redis."""
    from crawler.distributed.run_accounts import RunAccounts
    from crawler.urls import blog_home_url

    home = blog_home_url(blog_url)
    for raw in server.lrange(START_JOBS_KEY, 0, -1):
        try:
            if blog_home_url(StartJob.from_json(raw).blog) == home:
                return True
        except StartJobError:
            continue  # a worker will report it when it pops it
    accounts = RunAccounts(server)
    return any(
        accounts.snapshot(run_id).get("blog_url") == home for run_id in accounts.active_runs()
    )
