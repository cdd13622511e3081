"""Standard five-field crontab lines as APScheduler 3 cron triggers, evaluated in UTC.

APScheduler 3's ``CronTrigger.from_crontab`` numbers weekdays from Monday = 0, while crontab
numbers them from Sunday = 0 (and 7); ``0 0 * * 0`` would run on Mondays. This module reads
the weekday field with crontab's numbering and hands APScheduler weekday *names*, which
mean the same thing to both. Crontab runs a line when the day of month OR the weekday
matches if both are restricted; APScheduler requires both, so such lines are refused rather
than silently meaning something else.
"""

from __future__ import annotations

import re

from apscheduler.triggers.cron import CronTrigger

_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_TERM = re.compile(r"^(?:(?P<all>\*)|(?P<start>\w+)(?:-(?P<end>\w+))?)(?:/(?P<step>\d+))?$")


def crontab_trigger(expression: str, *, jitter_s: int = 0) -> CronTrigger:
    """Return the UTC trigger for a crontab ``expression`` (minute hour day month weekday).

    ``jitter_s`` delays each run by up to that many seconds (0 = none). Raises ``ValueError``
    with a one-line reason for a malformed line or one restricting both day fields.
    """
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(f"needs 5 fields (minute hour day month weekday), got {len(fields)}")
    minute, hour, day, month, weekday = fields
    if day != "*" and weekday != "*":
        raise ValueError("restrict the day of month or the weekday, not both")
    return CronTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=_weekday_names(weekday),
        timezone="UTC",
        jitter=jitter_s or None,
    )


def _weekday_names(field: str) -> str:
    if field == "*":
        return "*"
    days: set[int] = set()
    for term in field.split(","):
        days |= _weekday_term(term)
    if len(days) == len(_DAY_NAMES):
        return "*"
    return ",".join(_DAY_NAMES[day] for day in sorted(days))


def _weekday_term(term: str) -> set[int]:
    match = _TERM.match(term.lower())
    if not match:
        raise ValueError(f"weekday {term!r} is not a crontab weekday term")
    step = int(match["step"] or 1)
    if step < 1:
        raise ValueError(f"weekday {term!r} has a zero step")
    if match["all"]:
        start, end = 0, 6
    else:
        start = _weekday_number(match["start"])
        end = _weekday_number(match["end"]) if match["end"] else start
        if match["step"] and not match["end"]:
            end = 6  # crontab reads "1/2" as "1-6/2" (vixie cron)
    if match["end"] and end == 0 and start > 0:
        end = 7  # "5-7" and "5-0" both end on Sunday
    if end < start:
        raise ValueError(f"weekday range {term!r} runs backwards")
    return {day % 7 for day in range(start, end + 1, step)}


def _weekday_number(token: str) -> int:
    if token.isdigit() and 0 <= int(token) <= 7:
        return int(token)
    if token[:3] in _DAY_NAMES and len(token) == 3:
        return _DAY_NAMES.index(token)
    raise ValueError(f"weekday {token!r} is not 0-7 or sun..sat")
