"""The run history as a plain-text table, for ``blogingest runs``.

One run in full, as text or JSON, for ``runs show ID`` and ``--json``.
"""

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
    errors: list[str]
    notes: list[str]


ERROR_INDENT = "    first error: "
NOTE_INDENT = "    note: "


def format_runs(runs: Sequence[RunRow]) -> str:
    """Return ``runs`` as an aligned table with a header line; a note when there are none.

    Duration is finished minus started in seconds (``-`` while running); a missing exit
    code or count shows as ``-``. A run with errors gets its first one on the line below
    its row (``    first error: ...``, with ``(+N more)``), so the table stays aligned; a run
    with notes its first note (``    note: ...``) below that.
    """
    if not runs:
        return "no runs recorded"
    rows = [list(HEADERS), *(_cells(run) for run in runs)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS))]
    lines = [_line(rows[0], widths)]
    for run, row in zip(runs, rows[1:], strict=True):
        lines.append(_line(row, widths))
        if run.errors:
            more = f" (+{len(run.errors) - 1} more)" if len(run.errors) > 1 else ""
            lines.append(f"{ERROR_INDENT}{run.errors[0]}{more}")
        notes = run.notes or []
        if notes:
            more = f" (+{len(notes) - 1} more)" if len(notes) > 1 else ""
            lines.append(f"{NOTE_INDENT}{notes[0]}{more}")
    return "\n".join(lines)


def run_json(run: RunRow) -> dict[str, Any]:
    """Return the whole record of ``run`` as JSON data (times ISO 8601 UTC)."""
    return {
        "id": run.id,
        "blog_url": run.blog_url,
        "trigger": run.trigger,
        "started_at": _as_utc(run.started_at).isoformat(),
        "finished_at": _as_utc(run.finished_at).isoformat() if run.finished_at else None,
        "duration_s": _seconds(run),
        "status": run.status,
        "exit_code": run.exit_code,
        "counts": dict(run.counts or {}),
        "first_error": run.errors[0] if run.errors else None,
        "errors": list(run.errors),
        "notes": list(run.notes or []),
    }


def format_run(run: RunRow) -> str:
    """Return the whole record of ``run`` as ``name: value`` lines, every error and note."""
    counts = run.counts or {}
    lines = [
        f"run {run.id}: {run.status}",
        f"  blog      {run.blog_url}",
        f"  trigger   {run.trigger}",
        f"  started   {_as_utc(run.started_at).strftime('%Y-%m-%d %H:%M:%S')} UTC",
        "  finished  "
        + (
            f"{_as_utc(run.finished_at).strftime('%Y-%m-%d %H:%M:%S')} UTC ({_duration(run)})"
            if run.finished_at
            else "- (running, or ended without closing its record)"
        ),
        f"  exit      {'-' if run.exit_code is None else run.exit_code}",
        "  counts    " + (", ".join(f"{k} {v}" for k, v in counts.items()) or "-"),
        f"  errors    {len(run.errors)}",
    ]
    lines.extend(f"    {error}" for error in run.errors)
    notes = run.notes or []
    lines.append(f"  notes     {len(notes)}")
    lines.extend(f"    {note}" for note in notes)
    return "\n".join(lines)


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


def _seconds(run: RunRow) -> float | None:
    if run.finished_at is None:
        return None
    return (_as_utc(run.finished_at) - _as_utc(run.started_at)).total_seconds()


def _duration(run: RunRow) -> str:
    seconds = _seconds(run)
    return "-" if seconds is None else f"{seconds:.1f}s"


def _as_utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; storage writes UTC, so naive means UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _line(cells: list[str], widths: list[int]) -> str:
    padded = (
        cell.ljust(width) if header in _LEFT_ALIGNED else cell.rjust(width)
        for cell, width, header in zip(cells, widths, HEADERS, strict=True)
    )
    return "  ".join(padded).rstrip()
