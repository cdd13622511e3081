"""Run liveness: the rule that closes a crawl run whose process is gone.

A ``running`` crawl run is alive while whoever holds it shows signs of life:

- **Owner.** A run held by one process (a single-process crawl) records ``owner`` =
  ``host:pid``. Seen from that host, a pid that no longer exists (``os.kill(pid, 0)``) means
  the run is dead at once: kill -9, a double Ctrl-C, or a database that was down at close.
- **Lease.** Every running run carries ``lease_expires_at``, renewed by its holder every
  quarter lease (a single crawl: ``RunRecordExtension``; distributed runs, which have no
  single owner: any live worker, for every run open or queued in Redis). A lease that has
  passed means dead, seen from any host. It is how runs on other hosts and runs whose
  workers and Redis state are gone are found. A run written before this rule has no lease:
  its start time stands in for it.

A dead run is closed ``interrupted``, with the reason in its errors, by the next process that
looks: the next crawl of that blog, ``blogingest runs``, ``blogingest db load-spool``, and
distributed workers and the scheduler. The lease is ``BLOGINGEST_RUN_LEASE_SECONDS`` (120 s)
of the process that renews it; the checker only compares the stored time with now.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from storage.models import CrawlRun
from storage.runs import FIRST_LEASE_SECONDS, finish_run

logger = logging.getLogger(__name__)

DEFAULT_LEASE_SECONDS = FIRST_LEASE_SECONDS
LEASE_ENV = "BLOGINGEST_RUN_LEASE_SECONDS"
MAX_CLOSED_PER_LOOK = 500
"""Dead runs closed by one look; the next look closes the rest (a bound, not a cap on truth)."""


def lease_seconds(value: str | float | None = None) -> float:
    """Return the lease length: ``value`` if given, else the environment, else 120 s.

    A value that is not a positive number falls back to the default (the lease must never
    be zero: every run would look dead).
    """
    raw = value if value is not None else os.environ.get(LEASE_ENV)
    try:
        seconds = float(raw) if raw not in (None, "") else DEFAULT_LEASE_SECONDS
    except (TypeError, ValueError):
        return DEFAULT_LEASE_SECONDS
    return seconds if seconds > 0 else DEFAULT_LEASE_SECONDS


def owner_tag() -> str:
    """Return ``host:pid`` of this process, as recorded in ``crawl_runs.owner``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def lease_until(seconds: float, now: datetime | None = None) -> datetime:
    """Return when a lease taken or renewed ``now`` runs out."""
    return (now or datetime.now(UTC)) + timedelta(seconds=seconds)


def claim_run(session: Session, run_id: int, *, owner: str | None, until: datetime) -> None:
    """Make ``owner`` the holder of running run ``run_id`` with a lease to ``until``."""
    session.execute(
        update(CrawlRun)
        .where(CrawlRun.id == run_id, CrawlRun.status == "running")
        .values(owner=owner, lease_expires_at=until)
    )


def renew_leases(session: Session, run_ids: Collection[int], *, until: datetime) -> int:
    """Extend the leases of those of ``run_ids`` still running; return how many."""
    if not run_ids:
        return 0
    result = session.execute(
        update(CrawlRun)
        .where(CrawlRun.id.in_(sorted(run_ids)), CrawlRun.status == "running")
        .values(lease_expires_at=until)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def death_reason(run: CrawlRun, now: datetime, *, host: str | None = None) -> str | None:
    """Return why running ``run`` is dead (one line), or ``None`` while it may be alive."""
    owner_host, _, pid = (run.owner or "").rpartition(":")
    on_this_host = owner_host and owner_host == (host or socket.gethostname())
    if on_this_host and pid.isdigit() and not process_alive(int(pid)):
        return f"its process {run.owner} is gone"
    expiry = run.lease_expires_at or run.started_at
    if expiry < now:
        return f"no sign of life since {expiry.isoformat(timespec='seconds')} (lease expired)"
    return None


def close_dead_runs(
    session: Session,
    *,
    blog_urls: Sequence[str] = (),
    spare: Collection[int] = (),
    now: datetime | None = None,
) -> list[tuple[int, str]]:
    """Close every dead running run (of ``blog_urls`` when given) as ``interrupted``.

    ``spare`` lists runs known alive by other means (open in Redis). Returns the closed
    ``(run id, reason)`` pairs; at most :data:`MAX_CLOSED_PER_LOOK` per call. Never commits.
    """
    moment = now or datetime.now(UTC)
    # Candidates only: a lease that passed, or an owner on this host (its pid is checked).
    query = (
        select(CrawlRun)
        .where(
            CrawlRun.status == "running",
            or_(
                func.coalesce(CrawlRun.lease_expires_at, CrawlRun.started_at) < moment,
                CrawlRun.owner.startswith(f"{socket.gethostname()}:", autoescape=True),
            ),
        )
        .order_by(CrawlRun.id)
    )
    if blog_urls:
        query = query.where(CrawlRun.blog_url.in_(sorted(set(blog_urls))))
    closed: list[tuple[int, str]] = []
    for run in session.scalars(query):
        reason = None if run.id in spare else death_reason(run, moment)
        if reason is None:
            continue
        if len(closed) >= MAX_CLOSED_PER_LOOK:
            logger.warning("more than %d dead runs: the next look closes the rest", len(closed))
            break
        message = f"closed as interrupted by {owner_tag()}: {reason}"
        finish_run(session, run.id, status="interrupted", errors=[message], exit_code=1)
        closed.append((run.id, reason))
    return closed


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` exists on this host (unsure counts as alive: a lease decides)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, owned by another user
    except OSError:
        return True  # cannot tell: let the lease decide
    return True
