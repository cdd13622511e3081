"""Crawl runs that span workers: pending requests, shared counts, and who closes a run.

Each blog run (a ``crawl_runs`` row, id = ``run_id`` carried in every request's meta) has a
Redis hash :func:`~crawler.distributed.config.run_key`:

- ``pending``: requests of the run in the shared queue or being handled, kept equal to the
  size of the set ``<run key>:tokens``. A request enters the run once, with a token in its
  meta (``request_scheduled``); Scrapy's retry and redirect copies carry the same token, so
  they continue it rather than add to it. It leaves once (``SREM``): when the dupefilter drops
  it or when its callback/errback has produced all its output. Adding and removing a token
  and moving ``pending`` happen in one Lua script, so a token counts at most once each way.
- ``site``: the canonical home the blog's home page answered from (a blog moved to a custom
  domain is stored under it): the closing worker reads the blog's comments held and shown
  there, from the database (``comments_held``, ``comments_shown``), whichever workers
  stored them.
- ``touched``: Unix time of the last change; ``count:<key>``: run counts (found, fetched, new,
  ...); ``fatal``: 1 when the blog failed (home page unreachable); ``lost``: why the run's
  accounting cannot be trusted (a worker could not reach Redis); errors in a capped list;
  ``fetches_taken``: post fetches spent from the run's ``max_posts`` budget. Beside it, the
  set of post URLs already decided in the run (so a post is decided by one worker only).
- :func:`~crawler.distributed.config.blog_claim_key` names the blog's open run: a second run
  of the same blog is refused while the first is active.

Writes made while a run works (tokens, counts, errors) are refused for a run that is not in
the active set: after Redis lost its state, the worker learns it and closes the run
``interrupted`` itself (:mod:`crawler.distributed.accounting`).

A run is finished by exactly one worker: the one whose ``SREM`` from the active-run set
succeeds. That happens, while workers are idle, once ``pending`` is zero, no worker holds an
unwritten store batch of the run (``unwritten``: :meth:`RunAccounts.hold`, taken when a
worker's batch first gets a record of the run and given back once that batch is committed),
and the hash has not changed for ``settle`` seconds:
status ``success`` (``failed`` if fatal). A run that shows no change for ``stall`` seconds
while requests are still pending, or a batch is still unwritten, lost them with a killed
worker: it is closed
``interrupted``, and the next run's discovery fetches whatever that one did not store. A run
marked ``lost`` is closed ``interrupted`` with the reason once it has settled.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from crawler.distributed.config import ACTIVE_RUNS_KEY, blog_claim_key, run_key, seen_key
from crawler.extensions.run_record import COUNT_KEYS
from storage import runs
from storage.comments import run_comment_counts

logger = logging.getLogger(__name__)

MAX_ERRORS = 50
"""A run record keeps the first errors; the rest are counted, not listed."""

Transaction = Callable[[Callable[[Session], Any]], Any]


def _errors_key(run_id: int) -> str:
    return f"{run_key(run_id)}:errors"


def _notes_key(run_id: int) -> str:
    return f"{run_key(run_id)}:notes"


def _sighted_key(run_id: int) -> str:
    return f"{run_key(run_id)}:sighted"


def _tokens_key(run_id: int) -> str:
    return f"{run_key(run_id)}:tokens"


NOT_ACTIVE = -1
"""What a guarded write returns for a run that is not in the active set."""

# KEYS: run hash, active set, blog claim. ARGV: run id, now, blog url.
# Returns 0 (opened), or the id of the blog's other run that is still active.
_OPEN = """
local holder = redis.call('GET', KEYS[3])
if holder and holder ~= ARGV[1] and redis.call('SISMEMBER', KEYS[2], holder) == 1 then
  return tonumber(holder)
end
redis.call('SET', KEYS[3], ARGV[1])
redis.call('HSETNX', KEYS[1], 'pending', 0)
redis.call('HSET', KEYS[1], 'touched', ARGV[2], 'blog_url', ARGV[3])
redis.call('SADD', KEYS[2], ARGV[1])
return 0
"""

# KEYS: run hash, tokens set, active set. ARGV: run id, token, now, +1 (enter) or -1 (leave).
# Returns the pending count, or -1 when the run is not active.
_MOVE_PENDING = """
if redis.call('SISMEMBER', KEYS[3], ARGV[1]) == 0 then return -1 end
local changed
if ARGV[4] == '1' then
  changed = redis.call('SADD', KEYS[2], ARGV[2])
else
  changed = redis.call('SREM', KEYS[2], ARGV[2])
end
if changed == 1 then redis.call('HINCRBY', KEYS[1], 'pending', tonumber(ARGV[4])) end
redis.call('HSET', KEYS[1], 'touched', ARGV[3])
return tonumber(redis.call('HGET', KEYS[1], 'pending'))
"""

# KEYS: run hash, active set. ARGV: run id, field, amount, now. Returns 1, or -1 (not active).
_COUNT = """
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then return -1 end
redis.call('HINCRBY', KEYS[1], ARGV[2], tonumber(ARGV[3]))
redis.call('HSET', KEYS[1], 'touched', ARGV[4])
return 1
"""

# KEYS: run hash, active set. ARGV: run id, reason. Returns 1, or -1 (not active).
_MARK_LOST = """
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then return -1 end
redis.call('HSETNX', KEYS[1], 'lost', ARGV[2])
return 1
"""

# KEYS: run hash, active set. ARGV: run id, home URL. Returns 1, or -1 (not active).
_NAME_BLOG = """
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then return -1 end
redis.call('HSET', KEYS[1], 'site', ARGV[2])
return 1
"""

# KEYS: blog claim. ARGV: run id. Deletes the claim only while it names this run.
_RELEASE_CLAIM = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class RunAccounts:
    """Redis side of distributed run records; ``server`` is a redis-py client (sync)."""

    def __init__(self, server: Any, *, clock: Callable[[], float] = time.time) -> None:
        self.server = server
        self.clock = clock
        self._open = server.register_script(_OPEN)
        self._move_token = server.register_script(_MOVE_PENDING)
        self._count = server.register_script(_COUNT)
        self._mark_lost = server.register_script(_MARK_LOST)
        self._name_blog = server.register_script(_NAME_BLOG)
        self._release_claim = server.register_script(_RELEASE_CLAIM)

    def open(self, run_id: int, blog_url: str) -> int | None:
        """Start accounting run ``run_id`` of ``blog_url`` (its canonical home; idempotent).

        Returns ``None`` once the run is active, or the id of the blog's other run that is
        still active: then nothing changed, and the caller must not start this one.
        """
        holder = self._open(
            keys=[run_key(run_id), ACTIVE_RUNS_KEY, blog_claim_key(blog_url)],
            args=[run_id, self.clock(), blog_url],
        )
        return int(holder) or None

    def holder_of(self, blog_url: str) -> int | None:
        """Return the id of the active run of ``blog_url`` (canonical home), if any."""
        raw = self.server.get(blog_claim_key(blog_url))
        if raw is None or not self.server.sismember(ACTIVE_RUNS_KEY, raw):
            return None
        return int(_text(raw))

    def enter(self, run_id: int, token: str) -> int:
        """Count the request with ``token`` pending in run ``run_id`` (once); return pending.

        Returns :data:`NOT_ACTIVE` when the run is not active (closed, or Redis lost it).
        """
        return int(
            self._move_token(
                keys=[run_key(run_id), _tokens_key(run_id), ACTIVE_RUNS_KEY],
                args=[run_id, token, self.clock(), 1],
            )
        )

    def leave(self, run_id: int, token: str) -> int:
        """Take the request with ``token`` out of run ``run_id`` (once); return pending.

        Returns :data:`NOT_ACTIVE` when the run is not active.
        """
        return int(
            self._move_token(
                keys=[run_key(run_id), _tokens_key(run_id), ACTIVE_RUNS_KEY],
                args=[run_id, token, self.clock(), -1],
            )
        )

    def mark_lost(self, run_id: int, reason: str) -> bool:
        """Record that run ``run_id``'s accounting cannot be trusted; ``False`` if not active."""
        marked = self._mark_lost(keys=[run_key(run_id), ACTIVE_RUNS_KEY], args=[run_id, reason])
        return bool(int(marked) == 1)

    def name_blog(self, run_id: int, blog_url: str) -> bool:
        """Record the run's blog's home as its home page answered; ``False`` if not active."""
        named = self._name_blog(keys=[run_key(run_id), ACTIVE_RUNS_KEY], args=[run_id, blog_url])
        return bool(int(named) == 1)

    def is_active(self, run_id: int) -> bool:
        """Whether run ``run_id`` is in the active set."""
        return bool(self.server.sismember(ACTIVE_RUNS_KEY, run_id))

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

    def count(self, run_id: int, key: str, amount: int = 1) -> bool:
        """Add ``amount`` to the run's count ``key``; ``False`` when the run is not active."""
        added = self._count(
            keys=[run_key(run_id), ACTIVE_RUNS_KEY],
            args=[run_id, f"count:{key}", amount, self.clock()],
        )
        return bool(int(added) == 1)

    def hold(self, run_id: int, amount: int) -> bool:
        """Add ``amount`` (+1 or -1) to the run's unwritten store batches; ``False`` if not active.

        A worker holds the run from the first record of it in its store batch until that batch
        is committed, so that no worker closes the run (and counts its comments from the
        database) while records of it are still on their way there.
        """
        added = self._count(
            keys=[run_key(run_id), ACTIVE_RUNS_KEY],
            args=[run_id, "unwritten", amount, self.clock()],
        )
        return bool(int(added) == 1)

    def error(self, run_id: int, message: str, *, fatal: bool = False) -> bool:
        """Record a one-line error on the run (``fatal`` fails it); ``False`` if not active."""
        if not self.count(run_id, "errors"):
            return False
        pipe = self.server.pipeline()
        pipe.rpush(_errors_key(run_id), message)
        pipe.ltrim(_errors_key(run_id), 0, MAX_ERRORS - 1)
        if fatal:
            pipe.hset(run_key(run_id), "fatal", 1)
        pipe.execute()
        return True

    def note(self, run_id: int, message: str) -> bool:
        """Record a one-line note on the run, once (no error); ``False`` if not active."""
        touched = self._count(  # not a count: a note is no part of the run's counts
            keys=[run_key(run_id), ACTIVE_RUNS_KEY], args=[run_id, "noted", 1, self.clock()]
        )
        if int(touched) != 1:
            return False
        notes = [_text(line) for line in self.server.lrange(_notes_key(run_id), 0, -1)]
        if message not in notes and len(notes) < MAX_ERRORS:
            self.server.rpush(_notes_key(run_id), message)
        return True

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
        notes = [_text(line) for line in self.server.lrange(_notes_key(run_id), 0, -1)]
        if state.get("lost"):
            errors.append(f"run accounting lost: {state['lost']}")
        elif not state:
            errors.append("run accounting lost: its Redis state is gone (Redis emptied)")
        closed: list[runs.RunRecord] = []
        site = state.get("site") or state.get("blog_url")

        def write(session: Session) -> None:
            gap = run_comment_counts(session, site) if site else {}
            record = runs.finish_run(
                session,
                run_id,
                status=status,
                counts=counts | gap,
                errors=errors,
                notes=notes,
                exit_code=0 if status == "success" else 1,
            )
            closed.append(record)

        try:
            transaction(write)
        except (SQLAlchemyError, runs.UnknownRunError) as error:
            logger.error("could not close run %d: %s", run_id, str(error).splitlines()[0])
            if not isinstance(error, runs.UnknownRunError):
                self.server.sadd(ACTIVE_RUNS_KEY, run_id)
                return False
        self.forget(run_id, state.get("blog_url"))
        if closed:
            logger.info("%s", format_close_line(closed[0]))
        return True

    def forget(self, run_id: int, blog_url: str | None) -> None:
        """Delete every Redis key of closed run ``run_id`` (and its blog claim)."""
        self.server.delete(
            run_key(run_id),
            _errors_key(run_id),
            _notes_key(run_id),
            _sighted_key(run_id),
            _tokens_key(run_id),
            seen_key(run_id),
        )
        if blog_url:
            self._release_claim(keys=[blog_claim_key(blog_url)], args=[run_id])


def format_close_line(run: runs.RunRecord) -> str:
    """Return the one-line log of a closed run, like the scheduler's run end line."""
    started, finished = (
        moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment
        for moment in (run.started_at, run.finished_at)
    )
    duration = (finished - started).total_seconds() if started and finished else 0.0
    counts = " ".join(f"{key}={run.counts.get(key, 0)}" for key in COUNT_KEYS)
    return (
        f"run {run.id} end blog={run.blog_url} status={run.status} exit={run.exit_code} "
        f"duration={duration:.1f}s {counts}{runs.first_note_suffix(run.notes)}"
    )


def _due_status(state: dict[str, str], now: float, *, settle: float, stall: float) -> str | None:
    if not state:
        return "interrupted"  # the hash is gone (Redis flushed): nothing can finish it
    quiet = now - float(state.get("touched", 0))
    if state.get("lost"):
        return "interrupted" if quiet >= settle else None
    if int(state.get("pending", 0)) <= 0 and int(state.get("unwritten", 0)) <= 0:
        if quiet < settle:
            return None
        return "failed" if state.get("fatal") else "success"
    return "interrupted" if quiet >= stall else None


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
