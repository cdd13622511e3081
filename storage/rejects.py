"""The ``rejected_pages`` table: fetched pages that did not become posts, kept with their bytes.

One row per URL and reason. A URL that keeps failing the same way (a post that 404s on every
run) keeps one row, whose ``times_rejected`` counts the rejections and whose
``last_rejected_at``, bytes, status and run are the latest; ``rejected_at`` stays the first.
When the reason changes (``HTTP 503`` then ``not a post: ...``) a new row starts, so the rows
of a URL are the history of why it failed. A row a later parse resolved is history too: a new
rejection of that URL starts a new row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from crawler.items import RejectedPage
from storage.content import compress
from storage.models import RejectedPageRow

_CHUNK = 500


def store_rejected(
    session: Session,
    pages: Sequence[RejectedPage],
    *,
    parser_version: str,
    run_id: int | None = None,
) -> int:
    """Record ``pages`` in ``rejected_pages`` (see the module docstring); return their count.

    Bytes are zlib-compressed. ``parser_version`` ``""`` is stored as NULL (unknown). Pages are
    taken in order, so two rejections of one URL in ``pages`` count like two calls.
    """
    now = datetime.now(UTC)
    latest = _latest_unresolved(session, {page.url for page in pages})
    pending: dict[str, dict[str, Any]] = {}  # URL → its newest row not yet inserted
    inserts: list[dict[str, Any]] = []
    for page in pages:
        values = _latest_values(page, now, parser_version, run_id)
        row = pending.get(page.url)
        if row is not None and row["reason"] == page.reason:
            row.update(values, times_rejected=row["times_rejected"] + 1)
            continue
        stored = latest.get(page.url)
        if row is None and stored is not None and stored[1] == page.reason:
            _count_again(session, stored[0], values)
            continue
        row = {**values, "url": page.url, "reason": page.reason, "kind": page.kind.value}
        row["rejected_at"] = now
        row.update(times_rejected=1, resolved_at=None, resolved_post_id=None)
        pending[page.url] = row
        inserts.append(row)
    table = cast("Table", RejectedPageRow.__table__)
    for start in range(0, len(inserts), _CHUNK):
        session.execute(table.insert(), inserts[start : start + _CHUNK])
    return len(pages)


def _latest_values(
    page: RejectedPage, now: datetime, parser_version: str, run_id: int | None
) -> dict[str, Any]:
    """Return the columns a repeated rejection overwrites: its time, run and what was fetched."""
    return {
        "last_rejected_at": now,
        "parser_version": parser_version or None,
        "http_status": page.status,
        "content_type": page.content_type,
        "body": compress(page.body),
        "body_size": len(page.body),
        "run_id": run_id,
    }


def _count_again(session: Session, row_id: int, values: dict[str, Any]) -> None:
    session.execute(
        update(RejectedPageRow)
        .where(RejectedPageRow.id == row_id)
        .values(times_rejected=RejectedPageRow.times_rejected + 1, **values)
    )


def _latest_unresolved(session: Session, urls: Iterable[str]) -> dict[str, tuple[int, str]]:
    """URL → (id, reason) of each URL's newest unresolved row, for the URLs that have one."""
    wanted = sorted(urls)
    latest: dict[str, tuple[int, str]] = {}
    for start in range(0, len(wanted), _CHUNK):
        query = (
            select(RejectedPageRow.id, RejectedPageRow.url, RejectedPageRow.reason)
            .where(
                RejectedPageRow.url.in_(wanted[start : start + _CHUNK]),
                RejectedPageRow.resolved_at.is_(None),
            )
            .order_by(RejectedPageRow.id)
        )
        for row_id, url, reason in session.execute(query):
            latest[url] = (row_id, reason)
    return latest
