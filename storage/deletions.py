"""Soft deletes: marking posts their blog no longer has, and reading which posts are live.

A post is never removed. ``posts.deleted_at`` holds when the crawl found it gone (a complete
feed listing no longer lists it and its page answers 404/410: ``crawler.feed_records.listing``
decides); ``None`` means live. A deleted post that is stored again from the web comes back to
life (``storage.repository.upsert_posts`` clears ``deleted_at``). Marking a post deleted is a
change consumers must see, so it takes a ``change_seq`` like any other (:mod:`storage.change_seq`).

Every function takes a session and never commits: the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from crawler.urls import blog_home_url, stored_forms_of
from storage.blogs import blog_id_map
from storage.change_seq import claim_change_seq
from storage.models import Post

_POSTS = cast("Table", Post.__table__)
_CHUNK = 500
"""URLs per lookup statement (SQLite's bound-parameter limit, short statements)."""


def mark_posts_deleted(session: Session, blog_id: int, urls: Iterable[str], at: datetime) -> int:
    """Mark the live posts of blog ``blog_id`` at ``urls`` deleted at ``at``; return how many.

    URLs are matched in any variant (canonicalised; malformed ones ignored). A post already
    deleted keeps its first ``deleted_at`` and its ``change_seq`` (marking is idempotent);
    a post of another blog is never touched. Each post marked takes a new ``change_seq``, in
    URL order, so the consumers' cursor sees the deletion. ``at`` must be timezone-aware.
    """
    wanted = sorted(stored_forms_of(urls))
    if not wanted:
        return 0
    claim_change_seq(session, 0)  # the counter before any posts row: see its lock order
    connection = session.connection()
    row_ids: list[int] = []
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        query = (
            select(_POSTS.c.id)
            .where(
                _POSTS.c.blog_id == blog_id,
                _POSTS.c.url.in_(chunk),
                _POSTS.c.deleted_at.is_(None),
            )
            .order_by(_POSTS.c.url)
        )
        row_ids.extend(connection.execute(query).scalars())
    if not row_ids:
        return 0
    first = claim_change_seq(session, len(row_ids))
    changes: list[dict[str, Any]] = [
        {"row_id": row_id, "seq": first + offset} for offset, row_id in enumerate(row_ids)
    ]
    stmt = (
        update(_POSTS)
        .where(_POSTS.c.id == bindparam("row_id"))
        .values(deleted_at=bindparam("at"), change_seq=bindparam("seq"))
    )
    connection.execute(stmt, [{**change, "at": at} for change in changes])
    return len(row_ids)


def live_post_urls(session: Session, blog_id: int) -> set[str]:
    """Return the URLs of blog ``blog_id``'s stored posts that are not marked deleted."""
    query = select(_POSTS.c.url).where(_POSTS.c.blog_id == blog_id, _POSTS.c.deleted_at.is_(None))
    return set(session.connection().execute(query).scalars())


def live_post_urls_of_blog(session: Session, blog_url: str) -> set[str]:
    """:func:`live_post_urls` of the blog whose home is ``blog_url`` (any URL of it).

    An unknown blog has none.
    """
    found = blog_id_map(session, [blog_home_url(blog_url)])
    return live_post_urls(session, next(iter(found.values()))) if found else set()
