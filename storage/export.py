"""Reading stored posts out for consumers who don't use SQL, in constant memory."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Blog, Post

# Rows fetched per round trip; PostgreSQL streams them through a server-side cursor.
STREAM_CHUNK = 500

EXPORT_FIELDS = (
    "url",
    "title",
    "body",
    "body_paragraphs",
    "comment_count",
    "author",
    "published_at",
    "updated_at",
    "labels",
    "language",
    "blog_url",
    "blogger_blog_id",
    "blogger_post_id",
    "content_hash",
    "first_seen_at",
    "last_seen_at",
    "last_changed_at",
)
"""The exported fields, in output order: the consumer contract (README, "Database schema")."""


@dataclass(frozen=True, kw_only=True)
class ExportFilter:
    """Which posts to export; ``None`` means no restriction."""

    changed_since: datetime | None = None
    """Only posts whose content last changed (or first appeared) at or after this (aware)."""

    blog_url: str | None = None
    """Only posts of the blog with this canonical home URL."""

    limit: int | None = None
    """At most this many posts, oldest stored first."""


def iter_posts(session: Session, where: ExportFilter) -> Iterator[dict[str, Any]]:
    """Yield each matching post as a dict of :data:`EXPORT_FIELDS`, in storage order.

    Streams (``yield_per``): memory stays constant however many posts there are. Datetimes
    are aware UTC; lists are lists. The raw page is never read.
    """
    columns = [getattr(Post, name) for name in EXPORT_FIELDS if name != "blog_url"]
    query = (
        select(*columns, Blog.url.label("blog_url"))
        .join(Blog, Blog.id == Post.blog_id)
        .order_by(Post.id)
        .execution_options(yield_per=STREAM_CHUNK)
    )
    if where.changed_since is not None:
        query = query.where(Post.last_changed_at >= where.changed_since)
    if where.blog_url is not None:
        query = query.where(Blog.url == where.blog_url)
    if where.limit is not None:
        query = query.limit(where.limit)
    for row in session.execute(query):
        mapping = row._mapping
        yield {name: mapping[name] for name in EXPORT_FIELDS}
