"""The APScheduler 3 scheduler over a persistent job store in the project's database.

APScheduler's ``add_job(..., replace_existing=True)`` recomputes ``next_run_time`` from the
trigger, so re-adding every job at start would reset each schedule on every restart (an
interval job would wait a whole interval again). :func:`reconcile_jobs` therefore keeps a
stored job untouched when its fingerprint (kept in the job's name) matches the config,
replaces it only when the config changed, and removes jobs no longer configured.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from sqlalchemy import Engine

from scheduler.jobs import JOB_FUNCTION, JobSpec

logger = logging.getLogger(__name__)
JOBS_TABLE = "apscheduler_jobs"


@dataclass
class ReconcileSummary:
    """Job ids by what :func:`reconcile_jobs` did with them."""

    kept: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """Return e.g. ``kept=2 added=1 changed=0 removed=1``."""
        return (
            f"kept={len(self.kept)} added={len(self.added)} "
            f"changed={len(self.changed)} removed={len(self.removed)}"
        )


class _Scheduler(BackgroundScheduler):  # type: ignore[misc]  # untyped base class
    """BackgroundScheduler that never submits jobs unless running.

    APScheduler 3.11's thread processes due jobs once more after ``shutdown()`` wakes it
    (it only skips that pass when *paused*), and submitting to the already shut-down
    executor logs a ``RuntimeError`` traceback for every due job.
    """

    def _process_jobs(self) -> float | None:
        if self.state != STATE_RUNNING:
            return None
        wait_seconds: float | None = super()._process_jobs()
        return wait_seconds


def open_scheduler(engine: Engine, *, max_workers: int) -> BackgroundScheduler:
    """Return a UTC scheduler over ``engine``'s job store, started *paused*.

    Paused, it runs nothing but its job store is readable and writable, so callers can
    reconcile jobs first and :meth:`~BackgroundScheduler.resume` after. ``max_workers``
    bounds concurrent crawls (each is one thread waiting on one subprocess).
    """
    scheduler = _Scheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE)},
        executors={"default": ThreadPoolExecutor(max_workers=max_workers)},
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone=UTC,
    )
    scheduler.start(paused=True)
    return scheduler


def reconcile_jobs(
    scheduler: BackgroundScheduler, specs: Sequence[JobSpec], now: datetime
) -> ReconcileSummary:
    """Make the job store hold exactly ``specs``; commits through the job store.

    A job never stored before is due at ``now`` (a newly configured blog is crawled at
    once); a changed job runs at the sooner of its stored next run time and its new
    trigger's first fire time after ``now``; an unchanged job keeps its persisted next run
    time, including any backoff delay.
    """
    summary = ReconcileSummary()
    wanted = {spec.job_id for spec in specs}
    for job in scheduler.get_jobs():
        if job.id not in wanted:
            scheduler.remove_job(job.id)
            summary.removed.append(job.id)
    for spec in specs:
        stored = scheduler.get_job(spec.job_id)
        if stored is not None and stored.name == spec.job_name():
            summary.kept.append(spec.job_id)
            continue
        if stored is None:
            _add(scheduler, spec, now)
            summary.added.append(spec.job_id)
        else:
            _add(scheduler, spec, _first_run_of_changed(spec, stored.next_run_time, now))
            summary.changed.append(spec.job_id)
    return summary


def _first_run_of_changed(spec: JobSpec, stored_next: datetime | None, now: datetime) -> datetime:
    # The sooner of the stored time and the new trigger's first: an overdue or interrupted
    # blog stays due, and a shortened interval takes effect at once.
    first: datetime | None = spec.trigger.build().get_next_fire_time(None, now)
    candidates = [moment for moment in (stored_next, first) if moment is not None]
    return min(candidates) if candidates else now


def _add(scheduler: BackgroundScheduler, spec: JobSpec, first_run: datetime) -> None:
    scheduler.add_job(
        JOB_FUNCTION,
        trigger=spec.trigger.build(),
        id=spec.job_id,
        name=spec.job_name(),
        kwargs=spec.run_kwargs(),
        misfire_grace_time=int(spec.misfire_grace.total_seconds()),
        coalesce=True,
        max_instances=1,
        replace_existing=True,
        next_run_time=first_run,
    )


def utc_now() -> datetime:
    """Return the current time, timezone-aware UTC."""
    return datetime.now(UTC)
