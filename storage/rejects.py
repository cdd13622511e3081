"""The ``rejected_pages`` table: fetched pages that did not become posts, kept with their bytes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Table
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
    """Append ``pages`` to ``rejected_pages`` with their bytes zlib-compressed; return the count.

    Every call appends (a history of rejections; the same URL may appear many times).
    ``parser_version`` ``""`` is stored as NULL (unknown).
    """
    now = datetime.now(UTC)
    rows = [
        {
            "url": page.url,
            "reason": page.reason,
            "rejected_at": now,
            "parser_version": parser_version or None,
            "http_status": page.status,
            "content_type": page.content_type,
            "body": compress(page.body),
            "body_size": len(page.body),
            "run_id": run_id,
            "resolved_at": None,
            "resolved_post_id": None,
        }
        for page in pages
    ]
    table = cast("Table", RejectedPageRow.__table__)
    for start in range(0, len(rows), _CHUNK):
        session.execute(table.insert(), rows[start : start + _CHUNK])
    return len(rows)
