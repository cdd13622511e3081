"""Crawl-run records: one row per blog per crawl process, written by the crawl and scheduler.

Functions take a session and never commit; the caller owns the transaction. A run that
should be visible while it is going (``status="running"``) needs its own short transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.urls import blog_home_url
from storage.models import CrawlRun

RUN_STATUSES = frozenset({"running", "success", "failed", "timed_out", "interrupted"})
FIRST_LEASE_SECONDS = 120.0
"""Lease of a new run until its holder renews it (see ``storage.run_liveness``)."""


class UnknownRunError(LookupError):
    """No crawl run has the given id."""


def start_run(
    session: Session,
    *,
    blog_url: str,
    trigger: str = "manual",
    started_at: datetime | None = None,
    owner: str | None = None,
    lease_expires_at: datetime | None = None,
) -> int:
    """Record a run of ``blog_url`` (stored as its canonical home URL) as ``running``.

    ``trigger`` says who started it (``manual``, ``schedule``, ...). ``started_at`` must be
    timezone-aware; ``None`` means now. ``owner`` (``host:pid``) and ``lease_expires_at``
    say who keeps it alive and until when (``storage.run_liveness``); the lease defaults to
    :data:`FIRST_LEASE_SECONDS` after the start. Returns the new run's id (flushed, not
    committed).
    """
    started = started_at or datetime.now(UTC)
    run = CrawlRun(
        blog_url=_home(blog_url),
        trigger=trigger,
        started_at=started,
        status="running",
        counts={},
        errors=[],
        owner=owner,
        lease_expires_at=lease_expires_at or started + timedelta(seconds=FIRST_LEASE_SECONDS),
    )
    session.add(run)
    session.flush()
    return run.id


def finish_run(
    session: Session,
    run_id: int,
    *,
    status: str,
    counts: Mapping[str, int] | None = None,
    errors: Sequence[str] = (),
    exit_code: int | None = None,
    finished_at: datetime | None = None,
) -> None:
    """Close run ``run_id`` with ``status`` (one of :data:`RUN_STATUSES`).

    ``counts`` (``new``, ``updated``, ``unchanged``, ``rejected``, ``failed``,
    ``pages_fetched`` ...) replaces the stored counts when given; ``None`` keeps the progress
    counts already stored. ``errors`` are one-line messages. ``finished_at`` ``None`` = now.
    Raises ``ValueError`` for an unknown status and :class:`UnknownRunError` for a bad id.
    """
    if status not in RUN_STATUSES:
        raise ValueError(f"unknown run status {status!r}; expected one of {sorted(RUN_STATUSES)}")
    run = _get(session, run_id)
    run.status = status
    run.finished_at = finished_at or datetime.now(UTC)
    if counts is not None:
        run.counts = dict(counts)
    run.errors = [*run.errors, *errors]
    run.exit_code = exit_code
    session.flush()


def list_runs(session: Session, *, blog_url: str | None = None, last: int = 20) -> list[CrawlRun]:
    """Return the ``last`` most recent runs (newest first), of one blog when ``blog_url``."""
    query = select(CrawlRun).order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc()).limit(last)
    if blog_url is not None:
        query = query.where(CrawlRun.blog_url == _home(blog_url))
    return list(session.scalars(query))


def last_successful_run(session: Session, blog_url: str) -> CrawlRun | None:
    """Return the most recent ``success`` run of ``blog_url``, ``None`` if it never succeeded."""
    query = (
        select(CrawlRun)
        .where(CrawlRun.blog_url == _home(blog_url), CrawlRun.status == "success")
        .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def _get(session: Session, run_id: int) -> CrawlRun:
    run = session.get(CrawlRun, run_id)
    if run is None:
        raise UnknownRunError(f"no crawl run with id {run_id}")
    return run


def _home(blog_url: str) -> str:
    try:
        return blog_home_url(blog_url)
    except ValueError:
        return blog_url  # not an http(s) URL (a seeds dir, a test name): keep it as given
