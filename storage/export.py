"""Reading stored posts and comments out for consumers who don't use SQL, in constant memory."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Blog, Comment, Post

# Rows fetched per round trip; PostgreSQL streams them through a server-side cursor.
STREAM_CHUNK = 500

EXPORT_FIELDS = (
    "id",
    "blog_id",
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
    "change_seq",
    "deleted_at",
)
"""The exported fields, in output order: the consumer contract (README, "Database schema").

Every name is the ``posts`` column's (``blog_url`` is ``blogs.url``), so a consumer uses one
vocabulary for the database, the export and ``blogingest parse``."""

ID_FIELDS = ("id", "blog_id", "blogger_blog_id", "blogger_post_id")
"""Fields that are identifiers: exported as strings in every format (a 19-digit Blogger id in
a column with NULLs would otherwise become a float in pandas and lose digits)."""


COMMENT_EXPORT_FIELDS = (
    "id",
    "post_id",
    "blog_id",
    "post_url",
    "blogger_comment_id",
    "parent_blogger_comment_id",
    "author",
    "author_url",
    "published_at",
    "updated_at",
    "paragraphs",
    "deleted_at",
    "deletion",
    "content_hash",
    "first_seen_at",
    "last_seen_at",
    "change_seq",
)
"""The exported comment fields, in output order: the ``comments`` columns but ``source``, plus
``blog_id`` (``posts.blog_id``) and ``post_url`` (``posts.url``)."""

COMMENT_ID_FIELDS = (
    "id",
    "post_id",
    "blog_id",
    "blogger_comment_id",
    "parent_blogger_comment_id",
)
"""Comment fields that are identifiers: strings in every format, as :data:`ID_FIELDS`."""


@dataclass(frozen=True, kw_only=True)
class ExportFilter:
    """Which posts to export; ``None`` means no restriction."""

    changed_since: datetime | None = None
    """Only posts whose content last changed (or first appeared) at or after this (aware):
    ``last_changed_at >= changed_since``, inclusive."""

    from_seq: int | None = None
    """Only posts with ``change_seq >= from_seq`` (inclusive): every change, comment counts
    included; the cursor of README "Reading incrementally"."""

    blog_url: str | None = None
    """Only posts of the blog with this canonical home URL."""

    limit: int | None = None
    """At most this many posts, oldest stored first."""


def iter_posts(session: Session, where: ExportFilter) -> Iterator[dict[str, Any]]:
    """Yield each matching post as a dict of :data:`EXPORT_FIELDS`, in storage order.

    Streams (``yield_per``): memory stays constant however many posts there are. Datetimes
    are aware UTC; lists are lists; :data:`ID_FIELDS` are strings (or ``None``). The raw page
    is never read. Order: ``change_seq`` when ``from_seq`` is given (so a consumer can stop
    anywhere and resume), else ``id``.
    """
    columns = [getattr(Post, name) for name in EXPORT_FIELDS if name != "blog_url"]
    query = (
        select(*columns, Blog.url.label("blog_url"))
        .join(Blog, Blog.id == Post.blog_id)
        .order_by(Post.change_seq if where.from_seq is not None else Post.id)
        .execution_options(yield_per=STREAM_CHUNK)
    )
    if where.changed_since is not None:
        query = query.where(Post.last_changed_at >= where.changed_since)
    if where.from_seq is not None:
        query = query.where(Post.change_seq >= where.from_seq)
    if where.blog_url is not None:
        query = query.where(Blog.url == where.blog_url)
    if where.limit is not None:
        query = query.limit(where.limit)
    for row in session.execute(query):
        record = {name: row._mapping[name] for name in EXPORT_FIELDS}
        for name in ID_FIELDS:
            if record[name] is not None:
                record[name] = str(record[name])
        yield record


def iter_comments(session: Session, where: ExportFilter) -> Iterator[dict[str, Any]]:
    """Yield each matching comment as a dict of :data:`COMMENT_EXPORT_FIELDS`.

    Streams like :func:`iter_posts`. ``from_seq`` selects ``comments.change_seq >= from_seq``
    (the cursor posts and comments share) and orders by it; otherwise the order is the post's
    row, then publication time. ``blog_url`` and ``limit`` apply as for posts;
    ``changed_since`` is not a comment filter (``ValueError``).
    """
    if where.changed_since is not None:
        raise ValueError("changed_since selects posts only; select comments by from_seq")
    query = _comments_query().execution_options(yield_per=STREAM_CHUNK)
    if where.from_seq is not None:
        query = query.where(Comment.change_seq >= where.from_seq).order_by(Comment.change_seq)
    else:
        query = query.order_by(Comment.post_id, Comment.published_at, Comment.id)
    if where.blog_url is not None:
        query = query.where(Blog.url == where.blog_url)
    if where.limit is not None:
        query = query.limit(where.limit)
    for row in session.execute(query):
        yield _comment_record(row)


def with_comments(session: Session, posts: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Yield ``posts`` (:func:`iter_posts` records), each with a ``comments`` list added.

    The comments are :func:`iter_comments` records of the post, in publication order. Posts
    are read ahead :data:`STREAM_CHUNK` at a time and their comments fetched in one query per
    chunk, so memory stays bounded by a chunk's posts and their comments.
    """
    chunk: list[dict[str, Any]] = []
    for post in posts:
        chunk.append(post)
        if len(chunk) >= STREAM_CHUNK:
            yield from _attach(session, chunk)
            chunk = []
    if chunk:
        yield from _attach(session, chunk)


def _attach(session: Session, posts: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    ids = [int(post["id"]) for post in posts]
    by_post: dict[str, list[dict[str, Any]]] = {}
    query = (
        _comments_query()
        .where(Comment.post_id.in_(ids))
        .order_by(Comment.post_id, Comment.published_at, Comment.id)
    )
    for row in session.execute(query):
        record = _comment_record(row)
        by_post.setdefault(record["post_id"], []).append(record)
    for post in posts:
        yield {**post, "comments": by_post.get(post["id"], [])}


def _comments_query() -> Any:
    columns = [
        getattr(Comment, name)
        for name in COMMENT_EXPORT_FIELDS
        if name not in ("blog_id", "post_url")
    ]
    return (
        select(*columns, Post.blog_id.label("blog_id"), Post.url.label("post_url"))
        .join(Post, Post.id == Comment.post_id)
        .join(Blog, Blog.id == Post.blog_id)
    )


def _comment_record(row: Any) -> dict[str, Any]:
    record = {name: row._mapping[name] for name in COMMENT_EXPORT_FIELDS}
    for name in COMMENT_ID_FIELDS:
        if record[name] is not None:
            record[name] = str(record[name])
    return record
