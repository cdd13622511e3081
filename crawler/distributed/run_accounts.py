"""Crawl runs that span workers: pending counters, shared counts, and who closes a run.

Each blog run (a ``crawl_runs`` row, id = ``run_id`` carried in every request's meta) has a
Redis hash :func:`~crawler.distributed.config.run_key`:

- ``pending``: requests of the run scheduled into the shared queue and not yet handled. +1 when
  a worker schedules one (Scrapy's ``request_scheduled``), -1 when the dupefilter drops it or
  when a worker's callback/errback for it has produced all its output.
- ``touched``: Unix time of the last change; ``count:<key>``: run counts (found, fetched, new,
  ...); ``fatal``: 1 when the blog failed (home page unreachable); errors in a capped list;
  ``fetches_taken``: post fetches spent from the run's ``max_posts`` budget. Beside it, the
  set of post URLs already decided in the run (so a post is decided by one worker only).

A run is finished by exactly one worker: the one whose ``SREM`` from the active-run set
succeeds. That happens, while workers are idle, once ``pending`` is zero and the hash has not
changed for ``settle`` seconds (every worker's store batch is then written and counted):
status ``success`` (``failed`` if fatal). A run that shows no change for ``stall`` seconds
while requests are still pending lost them with a killed worker: it is closed
``interrupted``, and the next run's discovery fetches whatever that one did not store.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from crawler.distributed.config import ACTIVE_RUNS_KEY, run_key, seen_key
from crawler.extensions.run_record import COUNT_KEYS
from storage import runs
from storage.models import CrawlRun

logger = logging.getLogger(__name__)

MAX_ERRORS = 50
"""A run record keeps the first errors; the rest are counted, not listed."""

Transaction = Callable[[Callable[[Session], Any]], Any]


def _errors_key(run_id: int) -> str:
    return f"{run_key(run_id)}:errors"


def _sighted_key(run_id: int) -> str:
    return f"{run_key(run_id)}:sighted"


class RunAccounts:
    """Redis side of distributed run records; ``server`` is a redis-py client (sync)."""

    def __init__(self, server: Any, *, clock: Callable[[], float] = time.time) -> None:
        self.server = server
        self.clock = clock

    def open(self, run_id: int, blog_url: str) -> None:
        """Start accounting run ``run_id`` (idempotent): active, nothing pending yet."""
        pipe = self.server.pipeline()
        pipe.hsetnx(run_key(run_id), "pending", 0)
        pipe.hset(run_key(run_id), mapping={"touched": self.clock(), "blog_url": blog_url})
        pipe.sadd(ACTIVE_RUNS_KEY, run_id)
        pipe.execute()

    def scheduled(self, run_id: int, amount: int = 1) -> int:
        """Add ``amount`` (may be negative) to the run's pending requests; return the new count."""
        pipe = self.server.pipeline()
        pipe.hincrby(run_key(run_id), "pending", amount)
        pipe.hset(run_key(run_id), "touched", self.clock())
        pending, _ = pipe.execute()
        return int(pending)

    def done(self, run_id: int) -> int:
        """One request of the run has been handled; return the pending count left."""
        return self.scheduled(run_id, -1)

    def first_sighting(self, run_id: int, post_url: str) -> bool:
        """Record that a worker decided ``post_url`` in this run; ``False`` if one already did."""
        return bool(self.server.sadd(_sighted_key(run_id), post_url))

    def take_fetch(self, run_id: int) -> int:
        """Spend one post fetch of the run's budget; return how many are spent, this one too."""
        return int(self.server.hincrby(run_key(run_id), "fetches_taken", 1))

    def count(self, run_id: int, key: str, amount: int = 1) -> None:
        """Add ``amount`` to the run's count ``key``."""
        pipe = self.server.pipeline()
        pipe.hincrby(run_key(run_id), f"count:{key}", amount)
        pipe.hset(run_key(run_id), "touched", self.clock())
        pipe.execute()

    def error(self, run_id: int, message: str, *, fatal: bool = False) -> None:
        """Record a one-line error on the run; ``fatal`` fails it."""
        pipe = self.server.pipeline()
        pipe.rpush(_errors_key(run_id), message)
        pipe.ltrim(_errors_key(run_id), 0, MAX_ERRORS - 1)
        pipe.hincrby(run_key(run_id), "count:errors", 1)
        if fatal:
            pipe.hset(run_key(run_id), "fatal", 1)
        pipe.execute()

    def snapshot(self, run_id: int) -> dict[str, str]:
        """Return the run's hash as text (empty when the run is unknown)."""
        raw = self.server.hgetall(run_key(run_id))
        return {_text(key): _text(value) for key, value in raw.items()}

    def active_runs(self) -> list[int]:
        """Ids of the runs not finished yet."""
        return sorted(int(_text(member)) for member in self.server.smembers(ACTIVE_RUNS_KEY))

    def finish_due(self, transaction: Transaction, *, settle: float, stall: float) -> list[int]:
        """Close every run that is due (see the module doc); return the ids this worker closed.

        ``transaction`` runs a function in a committed database transaction. A run whose
        record cannot be written is put back in the active set and retried next time.
        """
        closed = []
        now = self.clock()
        for run_id in self.active_runs():
            state = self.snapshot(run_id)
            status = _due_status(state, now, settle=settle, stall=stall)
            if status is None or not self.server.srem(ACTIVE_RUNS_KEY, run_id):
                continue  # not due, or another worker claimed it first
            if self._write(transaction, run_id, state, status):
                closed.append(run_id)
        return closed

    def _write(
        self, transaction: Transaction, run_id: int, state: dict[str, str], status: str
    ) -> bool:
        counts = {
            key.removeprefix("count:"): int(value)
            for key, value in state.items()
            if key.startswith("count:")
        }
        errors = [_text(line) for line in self.server.lrange(_errors_key(run_id), 0, -1)]
        closed: list[CrawlRun] = []

        def write(session: Session) -> None:
            runs.finish_run(
                session,
                run_id,
                status=status,
                counts=counts,
                errors=errors,
                exit_code=0 if status == "success" else 1,
            )
            closed.append(session.get_one(CrawlRun, run_id))

        try:
            transaction(write)
        except (SQLAlchemyError, runs.UnknownRunError) as error:
            logger.error("could not close run %d: %s", run_id, str(error).splitlines()[0])
            if not isinstance(error, runs.UnknownRunError):
                self.server.sadd(ACTIVE_RUNS_KEY, run_id)
                return False
        self.server.delete(
            run_key(run_id), _errors_key(run_id), _sighted_key(run_id), seen_key(run_id)
        )
        if closed:
            logger.info("%s", format_close_line(closed[0]))
        return True


def format_close_line(run: CrawlRun) -> str:
    """Return the one-line log of a closed run, like the scheduler's run end line."""
    started, finished = (
        moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment
        for moment in (run.started_at, run.finished_at)
    )
    duration = (finished - started).total_seconds() if started and finished else 0.0
    counts = " ".join(f"{key}={run.counts.get(key, 0)}" for key in COUNT_KEYS)
    return (
        f"run {run.id} end blog={run.blog_url} status={run.status} exit={run.exit_code} "
        f"duration={duration:.1f}s {counts}"
    )


def _due_status(state: dict[str, str], now: float, *, settle: float, stall: float) -> str | None:
    if not state:
        return "interrupted"  # the hash is gone (Redis flushed): nothing can finish it
    quiet = now - float(state.get("touched", 0))
    if int(state.get("pending", 0)) <= 0:
        if quiet < settle:
            return None
        return "failed" if state.get("fatal") else "success"
    return "interrupted" if quiet >= stall else None


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
