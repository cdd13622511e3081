"""Per-blog run locks in the database: no two crawls of one blog at once, across processes.

APScheduler's ``max_instances=1`` only guards one scheduler process; a cron ``--once`` that
overlaps itself or a worker needs a guard both can see. A lock is a row in
``scheduler_locks`` keyed by job id: taking it is an INSERT (the primary key makes that
atomic on SQLite and PostgreSQL), releasing it a DELETE. A lock whose ``expires_at`` has
passed, or whose holder and crawl child are both dead processes on this host, is stale and
may be taken over; the run it guarded is then closed as ``interrupted`` if nothing closed
it. Checking the child too matters: crawls run in their own session, so a crawl outlives a
SIGKILLed worker and must not be joined by a second crawl of the same blog.

The table is ``storage.models.SchedulerLock``, created by the storage migrations like every
table of ours (APScheduler's own ``apscheduler_jobs`` is the one table it makes itself).
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.models import CrawlRun, SchedulerLock
from storage.run_liveness import process_alive
from storage.runs import finish_run

# The Core Table behind the model: the lock protocol is plain INSERT/DELETE statements.
locks_table = cast("Table", SchedulerLock.__table__)
STALE_RUN_ERROR = "the process running it went away without recording the end"


@dataclass(frozen=True)
class HeldLock:
    """A lock this process holds; pass it back to :func:`release_lock`."""

    job_id: str
    holder: str


def this_holder() -> str:
    """Return this process's holder name, ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def acquire_lock(
    factory: sessionmaker[Session], job_id: str, *, ttl_s: float, holder: str | None = None
) -> HeldLock | None:
    """Take the lock of ``job_id`` for ``ttl_s`` seconds; ``None`` if a live holder has it.

    Clears a stale lock first (closing its run as ``interrupted``). Commits.
    """
    holder = holder or this_holder()
    now = time.time()
    with factory.begin() as session:
        _clear_if_stale(session, job_id, now)
    try:
        with factory.begin() as session:
            session.execute(
                locks_table.insert().values(
                    job_id=job_id, holder=holder, acquired_at=now, expires_at=now + ttl_s
                )
            )
    except IntegrityError:
        return None
    return HeldLock(job_id=job_id, holder=holder)


def attach_run(factory: sessionmaker[Session], lock: HeldLock, run_id: int) -> None:
    """Record which run ``lock`` guards, so a takeover can close it. Commits."""
    with factory.begin() as session:
        session.execute(
            locks_table.update()
            .where(locks_table.c.job_id == lock.job_id, locks_table.c.holder == lock.holder)
            .values(run_id=run_id)
        )


def attach_child(factory: sessionmaker[Session], lock: HeldLock, pid: int) -> None:
    """Record the crawl subprocess ``lock`` guards, so its liveness keeps the lock. Commits."""
    with factory.begin() as session:
        session.execute(
            locks_table.update()
            .where(locks_table.c.job_id == lock.job_id, locks_table.c.holder == lock.holder)
            .values(child_pid=pid)
        )


def release_lock(factory: sessionmaker[Session], lock: HeldLock) -> None:
    """Drop ``lock`` if this holder still has it (a takeover may have replaced it). Commits."""
    with factory.begin() as session:
        session.execute(
            delete(locks_table).where(
                locks_table.c.job_id == lock.job_id, locks_table.c.holder == lock.holder
            )
        )


def _clear_if_stale(session: Session, job_id: str, now: float) -> None:
    row = session.execute(select(locks_table).where(locks_table.c.job_id == job_id)).first()
    if row is None or not _is_stale(row.holder, row.child_pid, row.expires_at, now):
        return
    session.execute(
        delete(locks_table).where(
            locks_table.c.job_id == job_id, locks_table.c.holder == row.holder
        )
    )
    if row.run_id is not None:
        _close_orphan_run(session, int(row.run_id))


def _is_stale(holder: str, child_pid: int | None, expires_at: float, now: float) -> bool:
    if expires_at < now:
        return True
    host, _, pid = holder.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's process: only expiry tells
    pids = [int(pid)] if child_pid is None else [int(pid), int(child_pid)]
    return not any(process_alive(p) for p in pids)


def _close_orphan_run(session: Session, run_id: int) -> None:
    run = session.get(CrawlRun, run_id)
    if run is not None and run.status == "running":
        finish_run(session, run_id, status="interrupted", errors=[STALE_RUN_ERROR])
