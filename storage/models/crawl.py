"""Crawl bookkeeping: runs, rejected pages (with their bytes) and HTTP validators."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from storage.models.base import Base


class CrawlRun(Base):
    """One crawl of one blog by one process."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    blog_url: Mapped[str] = mapped_column(Text, index=True)
    trigger: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16))
    counts: Mapped[dict[str, Any]]
    errors: Mapped[list[str]]
    notes: Mapped[list[str]] = mapped_column(server_default=text("'[]'"))
    """One-line notes: what the run did that is worth knowing and no error (why a blog's
    posts came from pages rather than its feed, say)."""
    exit_code: Mapped[int | None]
    owner: Mapped[str | None] = mapped_column(String(255))
    """``host:pid`` of the single process that holds the run; ``None`` for a run shared by
    distributed workers (only its lease tells whether it lives)."""
    lease_expires_at: Mapped[datetime | None]
    """A ``running`` run whose lease passed without renewal is dead (``storage.run_liveness``)."""


class RejectedPageRow(Base):
    """A fetched page that did not become a post; nothing fetched is ever lost.

    One row per URL and reason: a URL rejected again for the same reason counts up
    ``times_rejected`` and moves ``last_rejected_at`` (its newest bytes replace the old); a new
    reason starts a new row, so the rows of a URL are the history of why it failed.
    """

    __tablename__ = "rejected_pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text, index=True)
    reason: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    """A ``crawler.items.RejectKind`` value: what sort of rejection ``reason`` words."""
    rejected_at: Mapped[datetime]
    parser_version: Mapped[str | None] = mapped_column(String(64))
    http_status: Mapped[int | None]
    content_type: Mapped[str | None] = mapped_column(Text)
    body: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    body_size: Mapped[int]
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("crawl_runs.id", ondelete="SET NULL"), index=True
    )
    resolved_at: Mapped[datetime | None]
    resolved_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL")
    )
    times_rejected: Mapped[int] = mapped_column(server_default="1")
    """How many fetches ended in this rejection (``rejected_at`` the first, the last below)."""
    last_rejected_at: Mapped[datetime]


class FetchState(Base):
    """HTTP validators of a URL for conditional GETs."""

    __tablename__ = "fetch_state"

    url: Mapped[str] = mapped_column(Text, primary_key=True)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    last_status: Mapped[int | None]
    fetched_at: Mapped[datetime]
