"""Per-blog state for ``blogingest status``: posts, comments, last success, last failure.

Read-only: plain SELECTs in the caller's session, nothing written or created. Columns and
tables that other parts of the schema may add later are picked up when they exist:

* ``posts.deleted_at`` (a post the blog removed): posts are then split into live and
  deleted; until it exists every stored post is live and ``deleted`` is ``None``.

Comments are told as held (stored, as Blogger still shows them) against shown (the counts
Blogger shows on the blog's stored posts): see :func:`storage.comments.comment_gaps`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from storage.comments import CommentGap, comment_gaps
from storage.models import Blog, CrawlRun, Post

FAILED_STATUSES = ("failed", "timed_out", "interrupted")
_NO_COMMENTS = CommentGap(held=0, shown=0)


@dataclass(frozen=True, kw_only=True)
class RunMark:
    """One run as the status shows it: when, which, how it ended, its first error and note."""

    run_id: int
    started_at: datetime
    finished_at: datetime | None
    status: str
    first_error: str | None
    first_note: str | None = None
    """Worth knowing, no error (why the blog's posts came from pages, say)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "started_at": _utc(self.started_at).isoformat(),
            "finished_at": _utc(self.finished_at).isoformat() if self.finished_at else None,
            "status": self.status,
            "first_error": self.first_error,
            "first_note": self.first_note,
        }


@dataclass(frozen=True, kw_only=True)
class BlogStatus:
    """What the database knows of one blog."""

    blog_url: str
    title: str | None
    live_posts: int
    deleted_posts: int | None
    """``None``: the schema does not record deleted posts (no ``posts.deleted_at``)."""
    comments: CommentGap
    """Comments held against comments shown."""
    last_success: RunMark | None
    last_failure: RunMark | None
    running: RunMark | None
    """A run still recorded as ``running`` (a crawl going on, or one that died)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "blog_url": self.blog_url,
            "title": self.title,
            "posts": {"live": self.live_posts, "deleted": self.deleted_posts},
            "comments": {
                "held": self.comments.held,
                "shown": self.comments.shown,
                "missing": self.comments.missing,
            },
            "last_success": self.last_success.to_json() if self.last_success else None,
            "last_failure": self.last_failure.to_json() if self.last_failure else None,
            "running": self.running.to_json() if self.running else None,
        }


def blog_statuses(session: Session, *, blog_url: str | None = None) -> list[BlogStatus]:
    """Return every blog the database knows (stored or only attempted), by URL.

    A blog counts as known when it has a ``blogs`` row or a crawl run (a blog that was never
    reachable has runs but no row). ``blog_url`` (a canonical home URL) keeps that one.
    """
    blogs = {row.url: row for row in session.scalars(select(Blog))}
    urls = set(blogs) | set(session.scalars(select(CrawlRun.blog_url).distinct()))
    if blog_url is not None:
        urls &= {blog_url}
    live, deleted = _post_counts(session)
    gaps = comment_gaps(session)
    statuses = []
    for url in sorted(urls):
        row = blogs.get(url)
        blog_id = row.id if row is not None else None
        statuses.append(
            BlogStatus(
                blog_url=url,
                title=row.title if row is not None else None,
                live_posts=live.get(blog_id, 0) if blog_id is not None else 0,
                deleted_posts=(deleted.get(blog_id, 0) if blog_id is not None else 0)
                if deleted is not None
                else None,
                comments=gaps.get(blog_id, _NO_COMMENTS) if blog_id is not None else _NO_COMMENTS,
                last_success=_last_run(session, url, ("success",)),
                last_failure=_last_run(session, url, FAILED_STATUSES),
                running=_last_run(session, url, ("running",)),
            )
        )
    return statuses


def _post_counts(session: Session) -> tuple[dict[int, int], dict[int, int] | None]:
    """Live posts per blog id, and deleted ones when ``posts.deleted_at`` exists."""
    deleted_at = getattr(Post, "deleted_at", None)
    if deleted_at is None or not _has_column(session, "posts", "deleted_at"):
        total = select(Post.blog_id, func.count()).group_by(Post.blog_id)
        return _by_blog(session, total), None
    live = select(Post.blog_id, func.count()).where(deleted_at.is_(None)).group_by(Post.blog_id)
    gone = select(Post.blog_id, func.count()).where(deleted_at.is_not(None)).group_by(Post.blog_id)
    return _by_blog(session, live), _by_blog(session, gone)


def _by_blog(session: Session, query: Any) -> dict[int, int]:
    """Run a ``(blog id, count)`` query into a dict."""
    return {blog_id: count for blog_id, count in session.execute(query)}


def _has_column(session: Session, table: str, column: str) -> bool:
    # The model may be newer than the database (a column another migration adds).
    inspector = inspect(session.connection())
    if not inspector.has_table(table):
        return False
    return any(found["name"] == column for found in inspector.get_columns(table))


def _last_run(session: Session, url: str, statuses: tuple[str, ...]) -> RunMark | None:
    query = (
        select(CrawlRun)
        .where(CrawlRun.blog_url == url, CrawlRun.status.in_(statuses))
        .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
        .limit(1)
    )
    run = session.scalars(query).first()
    if run is None:
        return None
    return RunMark(
        run_id=run.id,
        started_at=run.started_at,
        finished_at=run.finished_at,
        status=run.status,
        first_error=run.errors[0] if run.errors else None,
        first_note=run.notes[0] if run.notes else None,
    )


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; storage writes UTC, so naive means UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
