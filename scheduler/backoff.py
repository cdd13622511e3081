"""Backoff arithmetic for failing blogs: pure functions, no clock or database access."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from scheduler.config import Backoff

FAILURE_STATUSES = frozenset({"failed", "timed_out"})
# Neither a success nor a failure of the blog: the worker was stopped, or a run is going on.
NEUTRAL_STATUSES = frozenset({"interrupted", "running"})


def backoff_delay(failures: int, backoff: Backoff) -> timedelta:
    """Return the extra delay after ``failures`` consecutive failures.

    ``0`` failures → no delay; otherwise ``initial * 2**(failures - 1)``, capped at ``max``.
    """
    if failures <= 0:
        return timedelta(0)
    # 2**62 already exceeds any timedelta; bounding the exponent keeps the arithmetic finite.
    factor: int = 2 ** min(failures - 1, 62)
    if backoff.initial.total_seconds() * factor >= backoff.max.total_seconds():
        return backoff.max
    return backoff.initial * factor


def consecutive_failures(statuses_newest_first: Iterable[str]) -> int:
    """Count failed/timed-out runs before the newest success, ignoring neutral statuses."""
    count = 0
    for status in statuses_newest_first:
        if status in NEUTRAL_STATUSES:
            continue
        if status not in FAILURE_STATUSES:
            break
        count += 1
    return count


def next_run_after_failure(
    regular_next: datetime | None, now: datetime, failures: int, backoff: Backoff
) -> datetime:
    """Return when a failing blog runs next: its regular next run pushed back by the delay.

    ``regular_next`` is what the trigger would do anyway (``None`` or a past time count as
    ``now``), so backing off only ever makes a blog run less often, never more.
    """
    base = now if regular_next is None or regular_next < now else regular_next
    return base + backoff_delay(failures, backoff)
