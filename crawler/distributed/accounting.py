"""A worker's side of the shared run accounts: exact pending counts; storing never fails.

:class:`RunAccounting` is the one object the spider, the run ledger and the worker extension
talk to about a distributed run (no ``if run_id is None`` branches elsewhere):

- **Pending, exactly.** :meth:`entered` gives a request a token (``meta["run_token"]``) the
  first time it is scheduled; Scrapy's retry and redirect copies keep the token (they copy
  ``meta``), so a retried or redirected request continues its original instead of adding to
  the count. :meth:`left` removes the token once: when the dupefilter drops the request or
  its callback/errback is done. Requests a callback yields never inherit its token
  (:func:`crawler.spiders.distributed_plan.accounted` strips it).
- **Storing never depends on counting.** Every call made while the crawl works catches
  Redis errors: the crawl and the store pipeline go on, and the run is remembered as *lost*
  with the reason. :meth:`settle_lost` (each idle check, once Redis answers again) marks it
  ``lost`` in Redis, so the closing worker closes it ``interrupted`` with that reason, never
  ``success``; if Redis came back without the run (emptied), it closes the run ``interrupted``
  in the database at once.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from crawler.distributed.config import TOKEN_META
from crawler.distributed.run_accounts import NOT_ACTIVE, RunAccounts, Transaction
from storage import runs
from storage.database import DatabaseUnavailableError

logger = logging.getLogger(__name__)


class RunAccounting:
    """Redis-tolerant run accounting of one worker (reactor thread only)."""

    def __init__(self, accounts: RunAccounts) -> None:
        self.accounts = accounts
        self.lost: dict[int, str] = {}
        """Runs whose accounting failed here, with the first reason, until settled."""

    # --- requests -----------------------------------------------------------------------

    def entered(self, request: Any) -> None:
        """Count a scheduled request of a run as pending (a retry/redirect copy: no change)."""
        run_id = request.meta.get("run_id")
        if run_id is None:
            return
        token = request.meta.setdefault(TOKEN_META, uuid.uuid4().hex)
        try:
            pending = self.accounts.enter(run_id, token)
        except RedisError as error:
            self._lose(run_id, f"Redis unreachable while scheduling: {_line(error)}")
            return
        if pending == NOT_ACTIVE:
            self._lose(run_id, "a request was scheduled after the run's Redis state was gone")

    def left(self, meta: dict[str, Any]) -> None:
        """Take the request with this ``meta`` (handled or dropped) out of its run, once."""
        run_id, token = meta.get("run_id"), meta.get(TOKEN_META)
        if run_id is None or token is None:
            return
        try:
            self.accounts.leave(run_id, token)
        except RedisError as error:
            self._lose(run_id, f"Redis unreachable while counting: {_line(error)}")

    # --- what the ledger and the spider report ------------------------------------------

    def open(self, run_id: int, blog_url: str) -> int | None:
        """Activate run ``run_id`` of ``blog_url``; return the blog's other active run, if any.

        Redis errors propagate: a run that cannot be opened must not start.
        """
        return self.accounts.open(run_id, blog_url)

    def holder_of(self, blog_url: str) -> int | None:
        """Return the active run of ``blog_url`` (canonical home), if any (Redis errors rise)."""
        return self.accounts.holder_of(blog_url)

    def count(self, run_id: int, key: str, amount: int = 1) -> None:
        """Add ``amount`` to the run's count ``key`` (a failure marks the run lost)."""
        self._reported(
            run_id,
            lambda: self.accounts.count(run_id, key, amount),
            doing=f"counting {key}",
            late=f"a {key} count arrived",
        )

    def hold(self, run_id: int, amount: int) -> None:
        """Hold (+1) or release (-1) the run for an unwritten store batch (see RunAccounts.hold).

        Holding a run that is no longer active marks it lost, as a count does; releasing one
        is nothing to report (it closed, or was lost, meanwhile).
        """
        self._reported(
            run_id,
            lambda: self.accounts.hold(run_id, amount),
            doing="holding a store batch",
            late="a store batch arrived" if amount > 0 else None,
        )

    def error(self, run_id: int, message: str, *, fatal: bool = False) -> None:
        """Record a one-line error on the run (a failure marks the run lost)."""
        self._reported(
            run_id,
            lambda: self.accounts.error(run_id, message, fatal=fatal),
            doing="recording an error",
            late="an error arrived",
        )

    def name_blog(self, run_id: int, blog_url: str) -> None:
        """Record the home the run's blog answered from (a failure marks the run lost)."""
        self._reported(
            run_id,
            lambda: self.accounts.name_blog(run_id, blog_url),
            doing="naming the blog",
            late="the blog was named",
        )

    def note(self, run_id: int, message: str) -> None:
        """Record a one-line note on the run (a failure marks the run lost)."""
        self._reported(
            run_id,
            lambda: self.accounts.note(run_id, message),
            doing="recording a note",
            late="a note arrived",
        )

    def _reported(
        self, run_id: int, report: Callable[[], bool], *, doing: str, late: str | None
    ) -> None:
        """Make ``report``, a write to the run's Redis state; a failed one marks the run lost.

        ``report`` returns False when the run's state is gone: ``late`` (what arrived) is then
        the reason, or nothing is reported when it is None. A Redis error is worded with
        ``doing`` (what the write was).
        """
        try:
            done = report()
        except RedisError as error:
            self._lose(run_id, f"Redis unreachable while {doing}: {_line(error)}")
            return
        if not done and late is not None:
            self._lose(run_id, f"{late} after the run's Redis state was gone")

    def first_sighting(self, run_id: int, post_url: str) -> bool:
        """Whether this worker decides ``post_url`` first in the run (``True`` if unknown)."""
        try:
            return self.accounts.first_sighting(run_id, post_url)
        except RedisError as error:
            self._lose(run_id, f"Redis unreachable while deciding a post: {_line(error)}")
            return True  # fetching a post twice is harmless (upsert); skipping it is not

    def take_fetch(self, run_id: int) -> int:
        """Spend one post fetch of the run's budget; return how many are spent (0 if unknown)."""
        try:
            return self.accounts.take_fetch(run_id)
        except RedisError as error:
            self._lose(run_id, f"Redis unreachable while spending the budget: {_line(error)}")
            return 0

    # --- idle-time duties ---------------------------------------------------------------

    def finish_due(self, transaction: Transaction, *, settle: float, stall: float) -> list[int]:
        """Close the runs that are due (see :mod:`crawler.distributed.run_accounts`)."""
        return self.accounts.finish_due(transaction, settle=settle, stall=stall)

    def settle_lost(self, transaction: Transaction) -> None:
        """Make every run lost here close ``interrupted`` with its reason (Redis must answer).

        An active run is marked ``lost`` in Redis (its closer reports the reason); a run
        Redis no longer has is closed in the database now, if still running, and its
        leftover keys deleted. Raises ``RedisError`` while Redis is unreachable (kept).
        """
        for run_id, reason in sorted(self.lost.items()):
            if not self.accounts.mark_lost(run_id, reason):
                if self._close_lost(transaction, run_id, reason):
                    self.accounts.forget(run_id, None)
                else:
                    continue  # the database failed: try again at the next idle check
            del self.lost[run_id]

    def _close_lost(self, transaction: Transaction, run_id: int, reason: str) -> bool:
        def close(session: Session) -> bool:
            return runs.finish_run_if_running(
                session,
                run_id,
                status="interrupted",
                errors=[f"run accounting lost: {reason}"],
                exit_code=1,
            )

        try:
            closed = transaction(close)
        except (SQLAlchemyError, DatabaseUnavailableError) as error:
            logger.error("could not close lost run %d: %s", run_id, _line(error))
            return False
        if closed:
            logger.warning("run %d closed as interrupted: run accounting lost: %s", run_id, reason)
        return True

    def lose(self, run_id: int, reason: str) -> None:
        """Mark run ``run_id``'s accounting lost (it will close ``interrupted``, with reason)."""
        self._lose(run_id, reason)

    def _lose(self, run_id: int, reason: str) -> None:
        if run_id in self.lost:
            return  # one line per run and outage, not one per request
        logger.error("run %d: %s; the run will close interrupted", run_id, reason)
        self.lost[run_id] = reason


def _line(error: BaseException) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__
