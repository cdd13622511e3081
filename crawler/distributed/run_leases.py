"""Keep distributed runs alive in the database, and close the ones nobody holds any more.

A distributed run has no single owner process, so only its lease tells the database side
whether it lives (``storage.run_liveness``). Every worker, every quarter lease, renews the
lease of each run that Redis shows open (active) or waiting (named by a start job), and
closes ``interrupted`` the running runs whose lease passed: their workers and their Redis
state are gone (Redis emptied, every worker killed).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from crawler.distributed.config import START_JOBS_KEY
from crawler.distributed.run_accounts import RunAccounts, Transaction
from crawler.distributed.start_jobs import StartJob, StartJobError
from storage import run_liveness

logger = logging.getLogger(__name__)

MAX_JOBS_LOOKED_AT = 10_000
"""Waiting start jobs read per look; a run named further down keeps the lease it has
(the worker that pops its job starts a fresh run if that one was closed meanwhile)."""


def runs_held_in_redis(server: Any) -> set[int]:
    """Ids of the runs Redis holds: active, or named by a waiting start job."""
    held = set(RunAccounts(server).active_runs())
    for raw in server.lrange(START_JOBS_KEY, 0, MAX_JOBS_LOOKED_AT - 1):
        try:
            run_id = StartJob.from_json(raw).run_id
        except StartJobError:
            continue  # the worker that pops it reports it
        if run_id is not None:
            held.add(run_id)
    return held


def keep_runs_alive(server: Any, transaction: Transaction, *, lease: float) -> list[int]:
    """Renew the leases of the runs Redis holds and close the dead ones; return those closed.

    Raises ``RedisError`` when Redis cannot be read (then nothing is closed: a live run
    cannot be told from a dead one), and the database's errors as they come.
    """
    held = runs_held_in_redis(server)
    until = run_liveness.lease_until(lease)

    def look(session: Session) -> list[tuple[int, str]]:
        run_liveness.renew_leases(session, held, until=until)
        return run_liveness.close_dead_runs(session, spare=held)

    closed: list[tuple[int, str]] = transaction(look)
    for run_id, reason in closed:
        logger.warning("run %d closed as interrupted: %s", run_id, reason)
    return [run_id for run_id, _ in closed]
