"""Which blog a post row may be written to: a crawl writes only the blogs it was asked to crawl.

Defence in depth behind the crawl's own boundary (``crawler.pipelines.blog_boundary``): a row
on a blog the caller did not name, or carrying Blogger ids that the database already holds
for another blog, is refused with a one-line reason (it becomes a ``rejected_pages`` row),
so a forged page can neither create a ``blogs`` row nor be folded into another blog's post.
Reads only; the caller owns the transaction.
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, cast
from urllib.parse import urlsplit

from sqlalchemy import Table, null, select, union_all
from sqlalchemy.orm import Session

from crawler.items import BlogPost
from crawler.urls import blog_home_url, public_url
from storage.content import PostRow
from storage.list_params import list_param, list_values
from storage.models import Blog, Post

_POSTS = cast("Table", Post.__table__)
_BLOGS = cast("Table", Blog.__table__)


@dataclass(frozen=True, slots=True)
class OwnershipCheck:
    """What :func:`foreign_claims` decided, and what it read to decide it."""

    refused: dict[str, str]
    """Post URL → one-line reason, for each row that must not be written."""
    owners: dict[str | None, str]
    """Blogger blog id → home URL of the ``blogs`` row holding it, for the ids of the rows
    not refused for their blog (what :func:`storage.blogs.upsert_blogs` needs read)."""


def foreign_claims(
    session: Session, rows: Sequence[PostRow], blogs: Collection[str]
) -> OwnershipCheck:
    """Decide which of ``rows`` must not be written (``refused``: post URL → reason).

    ``blogs`` are the canonical home URLs (``https://host/``) the caller may write. Refused:
    a row of another blog; a row whose Blogger blog id belongs to another blog's row; a row
    whose (blog id, post id) is stored as a post of another blog. One statement reads both
    kinds of stored claim.
    """
    reasons: dict[str, str] = {}
    for row in rows:
        if row.blog_url not in blogs:
            host = urlsplit(row.blog_url).hostname
            reasons[row.values["url"]] = f"not on a crawled blog: {host}"
    rest = [row for row in rows if row.values["url"] not in reasons]
    owners, stored = _stored_claims(
        session,
        sorted({bid for row in rest if (bid := _blog_id(row))}),
        sorted({pid for row in rest if (pid := _post_id(row))}),
    )
    for row in rest:
        blog_id, post_id = _blog_id(row), _post_id(row)
        owner = owners.get(blog_id) if blog_id else None
        holder = stored.get((blog_id, post_id)) if blog_id and post_id else None
        if owner is not None and owner not in blogs:
            reasons[row.values["url"]] = f"Blogger blog id {blog_id} belongs to {owner}"
        elif holder is not None and holder not in blogs:
            reasons[row.values["url"]] = f"Blogger post {blog_id}/{post_id} belongs to {holder}"
    return OwnershipCheck(refused=reasons, owners=owners)


def source_blogs(fetched_url: str, stored_blog: str | None = None) -> frozenset[str] | None:
    """Return the blogs (home URLs) a page fetched from ``fetched_url`` may write.

    The fetched URL's blog, and ``stored_blog`` (the blog of the row the page was kept on: a
    blog's posts stay on it when it moved hosts). ``None`` when neither is known (a page read
    from a file): nothing to confine to.
    """
    blogs = {stored_blog} if stored_blog else set()
    with contextlib.suppress(ValueError):
        blogs.add(blog_home_url(fetched_url))
    return frozenset(blogs) if blogs else None


def keep_on_source(post: BlogPost, fetched_url: str, blogs: Collection[str]) -> bool:
    """Put ``post`` back under ``fetched_url`` when the URL it gives is on none of ``blogs``.

    A page's own canonical URL never moves it to another blog (the crawl's rule, for pages
    re-parsed later). Returns whether the URL was replaced.
    """
    try:
        own = blog_home_url(post.url)
    except ValueError:
        own = None
    if own in blogs:
        return False
    post.url = public_url(fetched_url)
    post.blog_url = blog_home_url(post.url)
    return True


def _blog_id(row: PostRow) -> str | None:
    value = row.values["blogger_blog_id"]
    return str(value) if value else None


def _post_id(row: PostRow) -> str | None:
    value = row.values["blogger_post_id"]
    return str(value) if value else None


def _stored_claims(
    session: Session, blog_ids: Sequence[str], post_ids: Sequence[str]
) -> tuple[dict[str | None, str], dict[tuple[str, str], str]]:
    """Return what the database holds of these Blogger ids, in one round trip.

    Blogger blog id → home URL of the ``blogs`` row holding it, and (Blogger blog id, post
    id) → home URL of the blog of the stored post. Each list goes as one parameter
    (:mod:`storage.list_params`): a batch's hundreds of bound ``IN`` values cost six times
    as much on SQLite, and each statement is a round trip on PostgreSQL.
    """
    if not blog_ids and not post_ids:
        return {}, {}
    connection = session.connection()
    dialect = connection.dialect.name
    params = {
        "blog_ids": list_param(blog_ids, dialect),
        "post_ids": list_param(post_ids, dialect),
    }
    owners: dict[str | None, str] = {}
    stored: dict[tuple[str, str], str] = {}
    for blog_id, post_id, url in connection.execute(_claims_query(dialect), params):
        if post_id is None:
            owners[blog_id] = url
        elif blog_id:
            stored[(blog_id, post_id)] = url
    return owners, stored


@cache
def _claims_query(dialect_name: str) -> Any:
    """Build the query of :func:`_stored_claims` once per dialect (statements are immutable).

    Its rows: (blog id, ``NULL``, home URL) for each blog row holding one of the blog ids,
    (blog id, post id, home URL) for each stored post with one of the post ids.
    """
    owners = select(_BLOGS.c.blogger_blog_id, null().label("blogger_post_id"), _BLOGS.c.url).where(
        _BLOGS.c.blogger_blog_id.in_(list_values("blog_ids", dialect_name))
    )
    posts = (
        select(_POSTS.c.blogger_blog_id, _POSTS.c.blogger_post_id, _BLOGS.c.url)
        .join(_BLOGS, _BLOGS.c.id == _POSTS.c.blog_id)
        .where(_POSTS.c.blogger_post_id.in_(list_values("post_ids", dialect_name)))
    )
    return union_all(owners, posts)
