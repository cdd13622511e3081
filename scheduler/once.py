"""``blogingest schedule --once``: run every due job one time, then exit (for cron users).

"Due" means the job store's ``next_run_time`` is at or before now, or the blog was never
scheduled before (a new ``[[blog]]``). Jobs run one after another, under the same per-blog
database lock as the worker, so a cron line that overlaps itself, or a worker, never
crawls one blog twice at once. After each run the job's next run time advances as the
worker's would (with backoff after a failure), so ``--once`` and the worker share one
schedule.
"""

from __future__ import annotations

import logging
from datetime import datetime

from apscheduler.job import Job
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine

from scheduler.backoff import FAILURE_STATUSES, next_run_after_failure
from scheduler.jobs import JobSpec
from scheduler.jobstore import open_scheduler, reconcile_jobs, utc_now
from scheduler.process import ShutdownSwitch
from scheduler.runner import RunnerContext, RunReport, bind_runner, run_blog_crawl
from scheduler.worker import WorkerPlan

logger = logging.getLogger(__name__)


def run_once(plan: WorkerPlan, engine: Engine, context: RunnerContext) -> int:
    """Run the due jobs of ``plan`` in config order; return 0, or 1 if any run failed.

    Runs skipped because another process holds the blog's lock count as neither. Binds
    the runner to ``context`` meanwhile; a set ``context.switch`` skips remaining jobs.
    """
    switch = context.switch
    scheduler = open_scheduler(engine, max_workers=1)
    bind_runner(context)
    try:
        reconcile_jobs(scheduler, list(plan.specs.values()), utc_now())
        due = due_specs(scheduler, list(plan.specs.values()), utc_now())
        logger.info("once: %d of %d blogs due", len(due), len(plan.specs))
        reports = [_run_and_advance(scheduler, spec, switch) for spec in due]
    finally:
        bind_runner(None)
        scheduler.shutdown(wait=False)
    failed = [r for r in reports if r is not None and r.status in FAILURE_STATUSES]
    return 1 if failed else 0


def due_specs(scheduler: BackgroundScheduler, specs: list[JobSpec], now: datetime) -> list[JobSpec]:
    """Return the specs whose stored job is due at ``now`` (paused jobs never are)."""
    due = []
    for spec in specs:
        job = scheduler.get_job(spec.job_id)
        if job is not None and job.next_run_time is not None and job.next_run_time <= now:
            due.append(spec)
    return due


def _run_and_advance(
    scheduler: BackgroundScheduler, spec: JobSpec, switch: ShutdownSwitch
) -> RunReport | None:
    if switch.stopping.is_set():
        return None
    report = run_blog_crawl(**spec.run_kwargs())
    if report is None or report.status == "interrupted":
        # Locked by another process (its schedule is that process's business), or cut short
        # by a stop signal (left due, so the next pass resumes it).
        return report
    job = scheduler.get_job(spec.job_id)
    if job is not None:
        scheduler.modify_job(spec.job_id, next_run_time=_next_run(job, spec, report))
    return report


def _next_run(job: Job, spec: JobSpec, report: RunReport) -> datetime:
    now = utc_now()
    # With no previous fire time the trigger answers "first fire at or after now": missed
    # runs coalesce into that one, as coalesce=True does in the worker.
    regular = job.trigger.get_next_fire_time(None, now)
    if report.status in FAILURE_STATUSES:
        return next_run_after_failure(regular, now, report.consecutive_failures, spec.backoff)
    return regular if regular is not None else now
