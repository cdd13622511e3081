"""The ``blogs`` table: one row per blog, keyed by its canonical home URL."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from crawler.urls import blog_home_url
from storage.models import Blog
from storage.values import BlogInfo

_BLOGS = cast("Table", Blog.__table__)
_CHUNK = 500
# Built once (statements are immutable): a batch of posts asks twice.
_OWNERS = select(_BLOGS.c.blogger_blog_id, _BLOGS.c.url).where(
    _BLOGS.c.blogger_blog_id.in_(bindparam("ids", expanding=True))
)


def insert_for(session: Session) -> Callable[[Table], Any]:
    """Return the dialect's ``insert`` (it has ``on_conflict_do_update``) for the session."""
    return dialect_insert(session.get_bind().dialect.name)


def dialect_insert(dialect_name: str) -> Callable[[Table], Any]:
    """Return the ``insert`` of the dialect named ``dialect_name`` (PostgreSQL, else SQLite)."""
    return postgresql.insert if dialect_name == "postgresql" else sqlite.insert


def upsert_blogs(
    session: Session,
    blogs: Sequence[BlogInfo],
    *,
    seen: bool = True,
    owners: Mapping[str | None, str] | None = None,
) -> dict[str, int]:
    """Insert or update blogs keyed by canonical home URL (``https://host/``).

    Returns canonical home URL → ``blogs.id`` of every blog written (the statement's
    ``RETURNING``: a batch of posts needs its blogs' ids, and a second query for them was one
    round trip more per batch).

    A known Blogger blog id or title is filled in; ``None`` never erases a stored value. A
    Blogger id already held by another URL's row (a blog moved to a custom domain) is not
    copied, so the unique id never makes the write fail. ``last_seen_at`` moves to now, unless
    ``seen`` is false (blogs known from stored pages, not seen on the web now).
    Raises ``ValueError`` for a blog URL that is not http(s). ``owners``: the
    :func:`blog_id_owners` of the blogs' ids, when the caller read them in this transaction
    already (a batch of posts has: one round trip less); ``None`` reads them here.
    """
    merged: dict[str, BlogInfo] = {}
    for blog in blogs:
        home = blog_home_url(blog.url)
        before = merged.get(home)
        merged[home] = BlogInfo(
            url=home,
            blog_id=blog.blog_id or (before.blog_id if before else None),
            title=blog.title or (before.title if before else None),
        )
    if not merged:
        return {}
    held = (
        dict(owners)
        if owners is not None
        else blog_id_owners(session, [b.blog_id for b in merged.values() if b.blog_id])
    )
    now = datetime.now(UTC)
    rows = []
    for home, blog in merged.items():
        blog_id = blog.blog_id if held.setdefault(blog.blog_id, home) == home else None
        rows.append(
            {
                "url": home,
                "blogger_blog_id": blog_id,
                "title": blog.title,
                "first_seen_at": now,
                "last_seen_at": now,
            }
        )
    connection = session.connection()
    written = connection.execute(_blogs_upsert(connection.dialect.name, seen=seen), rows)
    return {url: row_id for url, row_id in written}


@cache
def _blogs_upsert(dialect_name: str, *, seen: bool) -> Any:
    """Return the blogs upsert of :func:`upsert_blogs`, built once (statements are immutable).

    Every batch of posts writes its blogs: building this statement each time cost more than
    running it. Executed on the Core connection: the ORM's execution path adds as much again.
    """
    stmt = dialect_insert(dialect_name)(_BLOGS)
    set_ = {
        "blogger_blog_id": func.coalesce(stmt.excluded.blogger_blog_id, _BLOGS.c.blogger_blog_id),
        "title": func.coalesce(stmt.excluded.title, _BLOGS.c.title),
    }
    if seen:
        set_["last_seen_at"] = stmt.excluded.last_seen_at
    # DO UPDATE always sets a column, so every row, inserted or not, comes back.
    upsert = stmt.on_conflict_do_update(index_elements=["url"], set_=set_)
    return upsert.returning(_BLOGS.c.url, _BLOGS.c.id)


def blog_id_owners(session: Session, blog_ids: Sequence[str | None]) -> dict[str | None, str]:
    """Return Blogger blog id → home URL of the ``blogs`` row holding it, for stored ids."""
    if not blog_ids:
        return {}
    # Core, not the ORM's execution path: this runs twice for every batch of posts.
    rows = session.connection().execute(_OWNERS, {"ids": list(blog_ids)})
    return {blog_id: url for blog_id, url in rows}


def blog_id_map(session: Session, urls: Sequence[str]) -> dict[str, int]:
    """Return canonical home URL → ``blogs.id`` for those of ``urls`` that are stored."""
    found: dict[str, int] = {}
    for start in range(0, len(urls), _CHUNK):
        chunk = urls[start : start + _CHUNK]
        found.update(
            {
                url: row_id
                for url, row_id in session.execute(
                    select(Blog.url, Blog.id).where(Blog.url.in_(chunk))
                )
            }
        )
    return found
