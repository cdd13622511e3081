"""Crawl-run records: one row per blog per crawl process, written by the crawl and scheduler.

Functions take a session and never commit; the caller owns the transaction. A run that
should be visible while it is going (``status="running"``) needs its own short transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.urls import blog_home_url
from storage.models import CrawlRun

_CHUNK = 500  # ids per IN list, well under SQLite's bound-parameter limit
RUN_STATUSES = frozenset({"running", "success", "failed", "timed_out", "interrupted"})
FIRST_LEASE_SECONDS = 120.0
"""Lease of a new run until its holder renews it (see ``storage.run_liveness``)."""


class UnknownRunError(LookupError):
    """No crawl run has the given id."""


@dataclass(frozen=True, kw_only=True)
class RunRecord:
    """A crawl run as the code outside storage sees it: a plain record, not an ORM row."""

    id: int
    blog_url: str
    """The blog's canonical home URL (or the name given, for a blog that has none)."""
    trigger: str
    status: str
    """One of :data:`RUN_STATUSES`."""
    started_at: datetime
    finished_at: datetime | None = None
    counts: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the run did that is worth knowing and no error (see ``CrawlRun.notes``)."""
    exit_code: int | None = None

    @classmethod
    def of(cls, run: CrawlRun) -> RunRecord:
        """Return the record of the stored run ``run``."""
        return cls(
            id=run.id,
            blog_url=run.blog_url,
            trigger=run.trigger,
            status=run.status,
            started_at=run.started_at,
            finished_at=run.finished_at,
            counts=dict(run.counts),
            errors=list(run.errors),
            notes=list(run.notes or []),
            exit_code=run.exit_code,
        )


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
        notes=[],
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
    notes: Sequence[str] = (),
    exit_code: int | None = None,
    finished_at: datetime | None = None,
) -> RunRecord:
    """Close run ``run_id`` with ``status`` (one of :data:`RUN_STATUSES`); return it closed.

    ``counts`` (``new``, ``updated``, ``unchanged``, ``rejected``, ``failed``,
    ``pages_fetched`` ...) replaces the stored counts when given; ``None`` keeps the progress
    counts already stored. ``errors`` and ``notes`` are one-line messages, added to those
    stored (notes: what is worth knowing and no error). ``finished_at`` ``None`` = now.
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
    if notes:
        run.notes = [*(run.notes or []), *notes]
    run.exit_code = exit_code
    session.flush()
    return RunRecord.of(run)


def finish_run_if_running(
    session: Session,
    run_id: int,
    *,
    status: str,
    errors: Sequence[str] = (),
    exit_code: int | None = None,
) -> bool:
    """Close run ``run_id`` as :func:`finish_run` does, if it is still ``running``.

    Returns whether it was closed here: ``False`` for a run already closed (by another process,
    say) or one that does not exist.
    """
    run = session.get(CrawlRun, run_id)
    if run is None or run.status != "running":
        return False
    finish_run(session, run_id, status=status, errors=errors, exit_code=exit_code)
    return True


def get_run(session: Session, run_id: int) -> RunRecord | None:
    """Return run ``run_id``, ``None`` when there is no such run."""
    run = session.get(CrawlRun, run_id)
    return RunRecord.of(run) if run is not None else None


def run_status(session: Session, run_id: int) -> str | None:
    """Return the status of run ``run_id``, ``None`` when there is no such run."""
    status: str | None = session.scalar(select(CrawlRun.status).where(CrawlRun.id == run_id))
    return status


def run_statuses(session: Session, run_ids: Iterable[int]) -> dict[int, str]:
    """Return run id → status for those of ``run_ids`` that exist."""
    wanted = sorted(set(run_ids))
    statuses: dict[int, str] = {}
    for start in range(0, len(wanted), _CHUNK):
        query = select(CrawlRun.id, CrawlRun.status).where(
            CrawlRun.id.in_(wanted[start : start + _CHUNK])
        )
        for run_id, status in session.execute(query):
            statuses[run_id] = status
    return statuses


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


def first_note_suffix(notes: Sequence[str]) -> str:
    """`` note: <the first note> (+N more)`` for a run's one-line end, or nothing."""
    if not notes:
        return ""
    more = f" (+{len(notes) - 1} more)" if len(notes) > 1 else ""
    return f" note: {notes[0]}{more}"


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
