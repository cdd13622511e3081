"""The job function: one recorded crawl of one blog in a subprocess.

APScheduler stores jobs by reference (``scheduler.runner:run_blog_crawl``) with picklable
keyword arguments; what cannot be pickled (the database session factory, the shutdown
switch) is bound once per process with :func:`bind_runner` before any job runs.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from scheduler.backoff import consecutive_failures
from scheduler.distributed import enqueue_blog_run
from scheduler.locks import HeldLock, acquire_lock, attach_child, attach_run, release_lock
from scheduler.process import ProcessOutcome, ShutdownSwitch, run_supervised
from storage.runs import finish_run, first_note_suffix, list_runs, start_run

logger = logging.getLogger(__name__)
COUNT_KEYS = ("stored", "from_feed", "new", "updated", "unchanged", "rejected", "failed")
"""The counts a run's end line and the run table show: posts stored, of them built from feed
entries (the rest from pages), then the outcomes."""
# A lock outlives the longest possible run (timeout + kill grace) by this much, so a lock is
# only ever taken over from a holder that cannot still be running its crawl.
LOCK_MARGIN_S = 60.0
_HISTORY_FOR_BACKOFF = 50


@dataclass(frozen=True)
class RunnerContext:
    """What every run in this process shares.

    ``database_url`` is handed to crawl children in ``DATABASE_URL``; ``trigger`` is what
    run rows record as their trigger (``schedule`` for the worker). ``after_run`` is called
    with each report before the run counts as finished (the worker applies backoff there,
    so a shutdown waiting for idle runs also waits for it).
    """

    factory: sessionmaker[Session]
    database_url: str
    switch: ShutdownSwitch
    trigger: str = "schedule"
    after_run: Callable[[RunReport], None] | None = None


@dataclass(frozen=True)
class RunReport:
    """The recorded outcome of one run; ``consecutive_failures`` counts this one too."""

    run_id: int
    job_id: str
    blog_url: str
    status: str
    exit_code: int
    duration_s: float
    counts: Mapping[str, Any]
    consecutive_failures: int
    reason: str | None = None
    """Why a run that did not succeed failed: its first recorded error."""
    notes: Sequence[str] = ()
    """The run's notes: worth knowing, no error (why posts came from pages, say)."""


_context: RunnerContext | None = None


def bind_runner(context: RunnerContext | None) -> None:
    """Set (or with ``None`` clear) the context :func:`run_blog_crawl` uses in this process."""
    global _context  # one context per process is the contract
    _context = context


def run_blog_crawl(
    *,
    job_id: str,
    blog_url: str,
    argv: Sequence[str],
    timeout_s: float,
    kill_grace_s: float,
    start_url: str | None = None,
) -> RunReport | None:
    """Run one crawl of ``blog_url`` and record it in ``crawl_runs``; the APScheduler job.

    Returns ``None`` without running when the worker is stopping or another process holds
    the blog's lock (a crawl of it is going on). Otherwise records a ``running`` row, runs
    ``argv + --run-id N`` with no shell under ``timeout_s``, and closes the row as
    ``success``, ``failed``, ``timed_out`` or ``interrupted`` with the exit code, keeping
    the counts the crawl wrote. Commits its own short transactions. With ``REDIS_URL`` set it
    only records a run and queues it for the distributed workers (returns ``None``), starting
    them at ``start_url``, the URL as configured (jobs stored before it existed lack it: then
    the canonical ``blog_url``).
    """
    context = _require_context()
    with context.switch.tracking():
        try:
            start = start_url or blog_url
            return _guarded_run(context, job_id, blog_url, start, argv, timeout_s, kill_grace_s)
        except SQLAlchemyError as error:
            # The database went away mid-run: one line, not a traceback per job. A row left
            # "running" is closed as interrupted when its expired lock is taken over.
            lines = str(getattr(error, "orig", None) or error).strip().splitlines()
            cause = lines[0] if lines else type(error).__name__
            logger.error("run of blog=%s not recorded: database error: %s", blog_url, cause)
            return None


def _guarded_run(
    context: RunnerContext,
    job_id: str,
    blog_url: str,
    start_url: str,
    argv: Sequence[str],
    timeout_s: float,
    kill_grace_s: float,
) -> RunReport | None:
    if context.switch.stopping.is_set():
        logger.info("skip blog=%s: worker is stopping", blog_url)
        return None
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:  # distributed: the workers crawl and close the run
        enqueue_blog_run(context, blog_url, argv, redis_url, start_url=start_url)
        return None
    lock = acquire_lock(context.factory, job_id, ttl_s=timeout_s + kill_grace_s + LOCK_MARGIN_S)
    if lock is None:
        logger.warning("skip blog=%s: a crawl of it is already running", blog_url)
        return None
    try:
        return _locked_run(context, lock, blog_url, argv, timeout_s, kill_grace_s)
    finally:
        release_lock(context.factory, lock)


def _locked_run(
    context: RunnerContext,
    lock: HeldLock,
    blog_url: str,
    argv: Sequence[str],
    timeout_s: float,
    kill_grace_s: float,
) -> RunReport:
    with context.factory.begin() as session:
        run_id = start_run(session, blog_url=blog_url, trigger=context.trigger)
    attach_run(context.factory, lock, run_id)
    logger.info("run %d start blog=%s trigger=%s", run_id, blog_url, context.trigger)
    argv = [*argv, "--run-id", str(run_id)]
    outcome = _run_child(context, lock, argv, timeout_s, kill_grace_s)
    status, errors = _judge(outcome, timeout_s)
    with context.factory.begin() as session:
        finish_run(session, run_id, status=status, errors=errors, exit_code=outcome.exit_code)
        history = list_runs(session, blog_url=blog_url, last=_HISTORY_FOR_BACKOFF)
        recorded = next((run for run in history if run.id == run_id), None)
        counts = dict(recorded.counts) if recorded is not None else {}
        # The crawl's own first error (e.g. "home page ...: timeout") comes before the
        # runner's "crawl exited with N: ..." line, so it is the reason.
        recorded_errors = list(recorded.errors) if recorded is not None else errors
        notes = list(recorded.notes or []) if recorded is not None else []
    report = RunReport(
        run_id=run_id,
        job_id=lock.job_id,
        blog_url=blog_url,
        status=status,
        exit_code=outcome.exit_code,
        duration_s=outcome.duration_s,
        counts=counts,
        consecutive_failures=consecutive_failures(run.status for run in history),
        reason=recorded_errors[0] if status != "success" and recorded_errors else None,
        notes=notes,
    )
    logger.info(format_end_line(report))
    if context.after_run is not None:
        context.after_run(report)
    return report


def _run_child(
    context: RunnerContext,
    lock: HeldLock,
    argv: list[str],
    timeout_s: float,
    kill_grace_s: float,
) -> ProcessOutcome:
    env = {**os.environ, "DATABASE_URL": context.database_url}
    try:
        return run_supervised(
            argv,
            env=env,
            timeout_s=timeout_s,
            kill_grace_s=kill_grace_s,
            switch=context.switch,
            on_start=partial(attach_child, context.factory, lock),
        )
    except OSError as error:
        # A missing or non-executable crawl command is a failed run, not a worker crash.
        return ProcessOutcome(
            exit_code=127, ended_by="exit", duration_s=0.0, output_tail=f"{argv[0]}: {error}"
        )


def _judge(outcome: ProcessOutcome, timeout_s: float) -> tuple[str, list[str]]:
    if outcome.ended_by == "timeout":
        return "timed_out", [f"timed out after {timeout_s:g}s and was stopped"]
    if outcome.ended_by == "shutdown":
        return "interrupted", ["stopped because the worker shut down"]
    if outcome.exit_code == 0:
        return "success", []
    last_line = outcome.last_output_line() or "no output"
    return "failed", [f"crawl exited with {outcome.exit_code}: {last_line}"]


def format_end_line(report: RunReport) -> str:
    """Return the one-line log of a finished run (status, exit code, duration, counts).

    A run that did not succeed ends with ``reason: <its first error>``; a run with notes
    with ``note: <its first note>``.
    """
    counts = " ".join(f"{key}={report.counts.get(key, 0)}" for key in COUNT_KEYS)
    reason = f" reason: {report.reason}" if report.reason else ""
    return (
        f"run {report.run_id} end blog={report.blog_url} status={report.status} "
        f"exit={report.exit_code} duration={report.duration_s:.1f}s {counts}{reason}"
        f"{first_note_suffix(report.notes)}"
    )


def _require_context() -> RunnerContext:
    if _context is None:
        raise RuntimeError("scheduler.runner used before bind_runner(); the worker binds it")
    return _context
