"""Start jobs: one JSON entry per blog run, pushed by the scheduler, popped by one worker.

The list :data:`~crawler.distributed.config.START_JOBS_KEY` is a plain Redis list: ``LPUSH``
to enqueue, ``RPOP`` (atomic) to take, so each job is opened by exactly one worker, which then
schedules the blog's home request into the shared scrapy-redis queue; from there any worker
continues. A job::

    {"blog": "https://name.blogspot.com/", "run_id": 12, "full": false,
     "max_posts": null, "include_pages": false, "trigger": "schedule",
     "no_comments": false, "source": null}

Keys are the crawl options' table names (a schedule's ``options``): the job's
``comments`` is written ``no_comments``, as a schedule turns comments off for a blog; a job
without the key harvests comments.

``run_id`` ``null``: the worker opens a new ``crawl_runs`` row itself. A job read from Redis
is validated by the crawl's own validator (:func:`crawler.crawl_options.options_from_table`),
so it is refused (named, in one line) exactly where a crawl with those options would be.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from crawler.crawl_options import CrawlOptionError, CrawlOptions, options_from_table
from crawler.distributed.config import START_JOBS_KEY


class StartJobError(ValueError):
    """A start job that cannot be read; the message names the bad value."""


@dataclass(frozen=True)
class StartJob:
    """One blog run to open: the crawl options of one blog (built by :meth:`for_blog`)."""

    blog: str
    """Start URL, ``scheme://host[:port]/``."""
    run_id: int | None = None
    full: bool = False
    max_posts: int | None = None
    include_pages: bool = False
    trigger: str = "manual"
    source: str | None = None
    """Where post records come from (docs/feeds.md); ``None``: the worker's setting."""
    comments: bool = True
    """Whether the blog's comments are harvested and stored (``False``: ``no_comments``)."""

    @classmethod
    def for_blog(cls, options: CrawlOptions, start_url: str) -> StartJob:
        """Return the job that opens ``start_url``, one of ``options``' blogs, with its options."""
        if start_url not in options.blogs:
            raise ValueError(f"{start_url!r} is not one of the blogs of {options.blogs}")
        return cls(
            blog=start_url,
            run_id=options.run_id,
            full=options.full,
            max_posts=options.max_posts,
            include_pages=options.include_pages,
            trigger=options.trigger,
            source=options.source,
            comments=options.comments,
        )

    @property
    def options(self) -> CrawlOptions:
        """The crawl options of this job's one blog."""
        return CrawlOptions(
            blogs=(self.blog,),
            full=self.full,
            max_posts=self.max_posts,
            run_id=self.run_id,
            include_pages=self.include_pages,
            trigger=self.trigger,
            source=self.source,
            comments=self.comments,
        )

    def to_json(self) -> str:
        """Return the job as one JSON object (``comments`` as the table's ``no_comments``)."""
        fields = asdict(self)
        fields["no_comments"] = not fields.pop("comments")
        return json.dumps(fields, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | bytes) -> StartJob:
        """Read a job, or raise :class:`StartJobError` naming the bad entry and option."""
        try:
            raw = json.loads(text)
            if not isinstance(raw, dict):
                raise TypeError(f"a start job is a JSON object, not {type(raw).__name__}")
            if not isinstance(raw.get("blog"), str):
                raise KeyError("blog")
            table = {name: value for name, value in raw.items() if name != "blog"}
            options = options_from_table(table, blogs=[raw["blog"]])
            return cls.for_blog(options, options.blogs[0])
        except (ValueError, TypeError, KeyError, CrawlOptionError) as error:
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
