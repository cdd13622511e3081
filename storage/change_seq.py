"""The change sequence: one counter that numbers every change to ``posts`` in commit order.

``posts.change_seq`` is the consumers' cursor (README, "Reading incrementally"). Timestamps
cannot be one: a row is stamped before its transaction commits, and two writers commit in
another order than they stamped, so a reader that keeps the largest time it saw can miss a row
that commits later with a smaller time.

Contract: every value a transaction takes is larger than every value of each transaction that
committed before it, and smaller than every value of each transaction that takes its values
after it. Why: the counter is one row, and the ``UPDATE`` that takes values keeps that row
locked until the transaction ends (a row lock on PostgreSQL, the database write lock on
SQLite), so a second writer's ``UPDATE`` waits for the first to commit. A reader that sees a
row with ``change_seq = S`` therefore already sees every committed change below ``S``.

Every writer of consumer-visible ``posts`` data takes a value: inserts and content or metadata
changes (``storage.repository.upsert_posts``), comment-count refreshes
(``refresh_comment_counts``), and any later writer of such a column (a soft delete's
``deleted_at`` must, so that the cursor sees deletions). Sightings (``last_seen_at``) take none.

Lock order: a transaction takes the counter (``claim_change_seq(session, 0)``) before it writes
any ``posts`` row, so that no writer holding post rows ever waits for the counter (which would
deadlock on PostgreSQL). Writers on PostgreSQL thus write posts one transaction at a time, as
they always did on SQLite.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import BigInteger, Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from storage.models import ChangeCounter, Post

_COUNTER = cast("Table", ChangeCounter.__table__)
_COUNTER_ROW = 1
# Built once: every batch of posts (and every comments write) claims values.
_CLAIM = (
    update(_COUNTER)
    .where(_COUNTER.c.id == _COUNTER_ROW)
    .values(last_value=_COUNTER.c.last_value + bindparam("count", type_=BigInteger()))
    .returning(_COUNTER.c.last_value)
)


def claim_change_seq(session: Session, count: int) -> int:
    """Take ``count`` values of the sequence for this transaction; return the first one.

    The values are ``first .. first + count - 1``. ``count=0`` only takes the counter's lock
    (see the module docstring) and returns the next value. Never commits. The migration
    creates the counter's row; a database built another way (a benchmark's tables) gets it
    here, starting after the largest ``posts.change_seq``.
    """
    if count < 0:
        raise ValueError(f"cannot claim {count} change_seq values")
    connection = session.connection()
    taken = connection.execute(_CLAIM, {"count": count}).scalar_one_or_none()
    if taken is None:
        start = connection.execute(select(func.coalesce(func.max(Post.change_seq), 0))).scalar_one()
        taken = int(start) + count
        connection.execute(insert(_COUNTER).values(id=_COUNTER_ROW, last_value=taken))
    return int(taken) - count + 1


def give_back_change_seq(session: Session, first: int, used: int) -> None:
    """Return the values from ``first + used`` on of this transaction's last claim.

    For a writer that claimed more values than it turned out to need (one per row, before
    knowing which rows change): the counter is left as if only ``used`` values had been
    claimed, so the sequence keeps no gap. Only valid while the claim starting at ``first``
    is the counter's last one, which holds until the transaction ends (the claim keeps the
    counter locked). Never commits.
    """
    if used < 0:
        raise ValueError(f"cannot give back to {used} used change_seq values")
    session.connection().execute(
        update(_COUNTER).where(_COUNTER.c.id == _COUNTER_ROW).values(last_value=first + used - 1)
    )
