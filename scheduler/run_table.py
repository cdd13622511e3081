"""The run history as a plain-text table, for ``blogingest runs``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from scheduler.runner import COUNT_KEYS

HEADERS = ("id", "blog", "trigger", "started (UTC)", "duration", "status", "exit", *COUNT_KEYS)
# Text columns read left-aligned, numbers right-aligned.
_LEFT_ALIGNED = frozenset({"blog", "trigger", "started (UTC)", "status"})


class RunRow(Protocol):
    """What the table needs of a run (``storage.models.CrawlRun`` has it)."""

    id: int
    blog_url: str
    trigger: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    exit_code: int | None
    counts: dict[str, Any]


def format_runs(runs: Sequence[RunRow]) -> str:
    """Return ``runs`` as an aligned table with a header line; a note when there are none.

    Duration is finished minus started in seconds (``-`` while running); a missing exit
    code or count shows as ``-``.
    """
    if not runs:
        return "no runs recorded"
    rows = [list(HEADERS), *(_cells(run) for run in runs)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS))]
    return "\n".join(_line(row, widths) for row in rows)


def _cells(run: RunRow) -> list[str]:
    counts = run.counts or {}
    return [
        str(run.id),
        run.blog_url,
        run.trigger,
        _as_utc(run.started_at).strftime("%Y-%m-%d %H:%M:%S"),
        _duration(run),
        run.status,
        "-" if run.exit_code is None else str(run.exit_code),
        *(str(counts[key]) if key in counts else "-" for key in COUNT_KEYS),
    ]


def _duration(run: RunRow) -> str:
    if run.finished_at is None:
        return "-"
    seconds = (_as_utc(run.finished_at) - _as_utc(run.started_at)).total_seconds()
    return f"{seconds:.1f}s"


def _as_utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; storage writes UTC, so naive means UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _line(cells: list[str], widths: list[int]) -> str:
    padded = (
        cell.ljust(width) if header in _LEFT_ALIGNED else cell.rjust(width)
        for cell, width, header in zip(cells, widths, HEADERS, strict=True)
    )
    return "  ".join(padded).rstrip()
