"""Pure job building: one :class:`JobSpec` per configured blog, no scheduler involved."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from scheduler.config import Backoff, BlogSchedule, OptionValue, ScheduleConfig
from scheduler.cron import crontab_trigger

# The job function, by reference: APScheduler stores this text in its job table, so it
# must stay importable under this name for as long as stored jobs may name it.
JOB_FUNCTION = "scheduler.runner:run_blog_crawl"
JOB_ID_PREFIX = "crawl:"


@dataclass(frozen=True)
class TriggerSpec:
    """When a job runs: every ``interval`` or on the UTC crontab line ``cron`` (one is set).

    ``jitter`` delays each run by a random amount up to it (whole seconds are used).
    """

    interval: timedelta | None
    cron: str | None
    jitter: timedelta

    def build(self) -> BaseTrigger:
        """Return the APScheduler 3 trigger; a new object each call."""
        jitter_s = int(self.jitter.total_seconds())
        if self.cron is not None:
            return crontab_trigger(self.cron, jitter_s=jitter_s)
        assert self.interval is not None  # config guarantees one of the two
        return IntervalTrigger(
            seconds=self.interval.total_seconds(), timezone="UTC", jitter=jitter_s or None
        )

    def describe(self) -> str:
        """Return e.g. ``every 6:00:00`` or ``cron "0 */6 * * *"`` (for logs)."""
        return f"cron {self.cron!r}" if self.cron is not None else f"every {self.interval}"


@dataclass(frozen=True)
class JobSpec:
    """Everything needed to schedule and run one blog's crawls.

    ``job_id`` is ``crawl:`` + the blog's canonical home URL, so it is stable across config
    edits that keep the blog. ``argv`` is the crawl command with the blog URL and options,
    to which the runner appends ``--run-id N``; it never holds the database URL (that
    travels in the child's environment, keeping passwords out of ``ps`` and the job table).
    """

    job_id: str
    blog_url: str
    home_url: str
    trigger: TriggerSpec
    argv: tuple[str, ...]
    timeout: timedelta
    misfire_grace: timedelta
    backoff: Backoff
    kill_grace: timedelta

    def run_kwargs(self) -> dict[str, Any]:
        """Return the picklable keyword arguments of :data:`JOB_FUNCTION` for this job."""
        return {
            "job_id": self.job_id,
            "blog_url": self.home_url,
            "start_url": self.blog_url,
            "argv": list(self.argv),
            "timeout_s": self.timeout.total_seconds(),
            "kill_grace_s": self.kill_grace.total_seconds(),
        }

    def fingerprint(self) -> str:
        """Return a short hash of everything that defines the job; equal specs, equal hash."""
        fields = asdict(self)
        payload = json.dumps(fields, sort_keys=True, default=str).encode()
        return hashlib.sha256(payload).hexdigest()[:16]

    def job_name(self) -> str:
        """Return the job's name in the job store: the blog and the fingerprint.

        The worker compares stored names to decide whether a job changed since the last start
        (unchanged jobs keep their persisted next run time).
        """
        return f"crawl {self.home_url} #{self.fingerprint()}"


def build_jobs(config: ScheduleConfig) -> list[JobSpec]:
    """Return one job spec per blog of ``config``, in config order."""
    return [_build_job(blog, config) for blog in config.blogs]


def job_id_for(home_url: str) -> str:
    """Return the job id of the blog whose canonical home URL is ``home_url``."""
    return f"{JOB_ID_PREFIX}{home_url}"


def _build_job(blog: BlogSchedule, config: ScheduleConfig) -> JobSpec:
    return JobSpec(
        job_id=job_id_for(blog.home_url),
        blog_url=blog.url,
        home_url=blog.home_url,
        trigger=TriggerSpec(interval=blog.interval, cron=blog.cron, jitter=blog.jitter),
        argv=(*config.worker.crawl_command, *_crawl_arguments(blog)),
        timeout=blog.timeout,
        misfire_grace=blog.misfire_grace,
        backoff=blog.backoff,
        kill_grace=config.worker.kill_grace,
    )


def _crawl_arguments(blog: BlogSchedule) -> list[str]:
    """Return the crawl's arguments: the blog with its crawl options, then the others.

    The default crawl command gets ``CrawlOptions.to_arguments()``; a custom one the URL as
    written. Options passed on as written follow.
    """
    crawl = [blog.url] if blog.crawl is None else blog.crawl.to_arguments()
    return [*crawl, *option_arguments(blog.options)]


def option_arguments(options: Mapping[str, OptionValue]) -> list[str]:
    """Return crawl CLI arguments for ``options``, sorted by name for a stable argv.

    ``max_posts = 500`` → ``--max-posts 500``; ``true`` → the bare flag; ``false`` → nothing
    (the crawl's default); a list repeats the option once per element.
    """
    arguments: list[str] = []
    for name in sorted(options):
        value = options[name]
        flag = "--" + name.replace("_", "-")
        if value is True:
            arguments.append(flag)
        elif value is False:
            continue
        elif isinstance(value, tuple):
            for element in value:
                arguments += [flag, str(element)]
        else:
            arguments += [flag, str(value)]
    return arguments
