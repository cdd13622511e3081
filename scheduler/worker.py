"""The long-lived worker: APScheduler 3 runs each blog's crawl on its trigger.

Stopping (SIGTERM or SIGINT): the scheduler is paused so no new run starts, running crawls
get ``worker.shutdown_grace`` to finish, then SIGTERM and after ``worker.kill_grace``
SIGKILL (see :mod:`scheduler.process`); every run is recorded before the worker exits 0.
A second signal ends the grace at once.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from types import FrameType
from typing import Any

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine

from scheduler.backoff import FAILURE_STATUSES, next_run_after_failure
from scheduler.config import ScheduleConfig
from scheduler.jobs import JobSpec, build_jobs
from scheduler.jobstore import ReconcileSummary, open_scheduler, reconcile_jobs, utc_now
from scheduler.process import ShutdownSwitch
from scheduler.runner import RunnerContext, RunReport, bind_runner

logger = logging.getLogger(__name__)
_WAIT_SLICE_S = 0.5
# Beyond shutdown grace + kill grace, time for the last rows to be written.
_DRAIN_MARGIN_S = 10.0


@dataclass(frozen=True)
class WorkerPlan:
    """A worker about to start: its job specs by id, timings and crawl concurrency.

    Timings are in seconds; ``max_concurrent`` bounds crawls running at the same time.
    """

    specs: Mapping[str, JobSpec]
    shutdown_grace_s: float
    kill_grace_s: float
    max_concurrent: int = 4

    @classmethod
    def from_config(cls, config: ScheduleConfig) -> WorkerPlan:
        """Build the plan of ``config`` (pure)."""
        return cls(
            specs={spec.job_id: spec for spec in build_jobs(config)},
            shutdown_grace_s=config.worker.shutdown_grace.total_seconds(),
            kill_grace_s=config.worker.kill_grace.total_seconds(),
            max_concurrent=config.worker.max_concurrent,
        )


def run_worker(plan: WorkerPlan, engine: Engine, context: RunnerContext) -> int:
    """Schedule and run crawls until ``context.switch`` is set; return exit code 0.

    Binds the runner to ``context`` (plus the backoff hook) for the worker's lifetime; wrap
    the call in :func:`stop_on_signals` so that SIGTERM/SIGINT set the switch.
    """
    switch = context.switch
    # One thread per running crawl; due crawls beyond the limit queue for a free thread.
    scheduler = open_scheduler(
        engine, max_workers=max(min(plan.max_concurrent, len(plan.specs)), 1)
    )
    summary = reconcile_jobs(scheduler, list(plan.specs.values()), utc_now())
    bind_runner(replace(context, after_run=_after_run_hook(scheduler, plan)))
    try:
        return _serve(scheduler, plan, switch, summary)
    finally:
        bind_runner(None)


def _serve(
    scheduler: BackgroundScheduler,
    plan: WorkerPlan,
    switch: ShutdownSwitch,
    summary: ReconcileSummary,
) -> int:
    scheduler.resume()
    logger.info("worker ready: %d blogs, jobs %s", len(plan.specs), summary.describe())
    for job in scheduler.get_jobs():
        logger.info("next run %s at %s", job.id, job.next_run_time)
    while not switch.stopping.wait(_WAIT_SLICE_S):
        pass
    _stop(scheduler, plan, switch)
    return 0


def _stop(scheduler: BackgroundScheduler, plan: WorkerPlan, switch: ShutdownSwitch) -> None:
    logger.info("worker stopping: no new runs; running crawls get %gs", plan.shutdown_grace_s)
    scheduler.pause()
    drain_s = plan.shutdown_grace_s + plan.kill_grace_s + _DRAIN_MARGIN_S
    if not switch.wait_idle(drain_s):
        logger.warning("worker stopping: runs still active after %gs", drain_s)
    scheduler.shutdown(wait=True)
    logger.info("worker stopped")


def _after_run_hook(
    scheduler: BackgroundScheduler, plan: WorkerPlan
) -> Callable[[RunReport], None]:
    """Return the hook that moves a job's next run after a failed or interrupted run."""

    def after_run(report: RunReport) -> None:
        spec = plan.specs.get(report.job_id)
        job = scheduler.get_job(report.job_id)
        if spec is None or job is None:
            return
        if report.status == "interrupted":
            # Cut short by a shutdown: due again at once, so the next start resumes it.
            _move(scheduler, report.job_id, utc_now())
        elif report.status in FAILURE_STATUSES:
            delayed = next_run_after_failure(
                job.next_run_time, utc_now(), report.consecutive_failures, spec.backoff
            )
            _move(scheduler, report.job_id, delayed)
            logger.info(
                "backoff blog=%s failures=%d next_run=%s",
                report.blog_url,
                report.consecutive_failures,
                delayed.isoformat(timespec="seconds"),
            )

    return after_run


def _move(scheduler: BackgroundScheduler, job_id: str, next_run: datetime) -> None:
    try:
        scheduler.modify_job(job_id, next_run_time=next_run)
    except JobLookupError:
        return  # removed meanwhile: nothing left to move


@contextmanager
def stop_on_signals(switch: ShutdownSwitch, grace_s: float) -> Iterator[None]:
    """Within the block, SIGTERM and SIGINT begin a graceful stop through ``switch``.

    Outside the main thread (where Python cannot handle signals) this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_signal(number: int, _frame: FrameType | None) -> None:
        logger.info("received %s", signal.Signals(number).name)
        switch.begin(grace_s)

    previous: dict[int, Any] = {
        number: signal.signal(number, on_signal) for number in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
