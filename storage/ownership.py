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
from functools import cache
from typing import Any, cast
from urllib.parse import urlsplit

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from crawler.items import BlogPost
from crawler.urls import blog_home_url, public_url
from storage.blogs import blog_id_owners
from storage.content import PostRow
from storage.list_params import list_param, list_values
from storage.models import Blog, Post

_POSTS = cast("Table", Post.__table__)
_BLOGS = cast("Table", Blog.__table__)


def foreign_claims(
    session: Session, rows: Sequence[PostRow], blogs: Collection[str]
) -> dict[str, str]:
    """Return post URL → reason for each of ``rows`` that must not be written.

    ``blogs`` are the canonical home URLs (``https://host/``) the caller may write. Refused:
    a row of another blog; a row whose Blogger blog id belongs to another blog's row; a row
    whose (blog id, post id) is stored as a post of another blog.
    """
    reasons: dict[str, str] = {}
    for row in rows:
        if row.blog_url not in blogs:
            host = urlsplit(row.blog_url).hostname
            reasons[row.values["url"]] = f"not on a crawled blog: {host}"
    rest = [row for row in rows if row.values["url"] not in reasons]
    owners = blog_id_owners(session, sorted({bid for row in rest if (bid := _blog_id(row))}))
    stored = _stored_post_blogs(session, sorted({pid for row in rest if (pid := _post_id(row))}))
    for row in rest:
        blog_id, post_id = _blog_id(row), _post_id(row)
        owner = owners.get(blog_id) if blog_id else None
        holder = stored.get((blog_id, post_id)) if blog_id and post_id else None
        if owner is not None and owner not in blogs:
            reasons[row.values["url"]] = f"Blogger blog id {blog_id} belongs to {owner}"
        elif holder is not None and holder not in blogs:
            reasons[row.values["url"]] = f"Blogger post {blog_id}/{post_id} belongs to {holder}"
    return reasons


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


def _stored_post_blogs(session: Session, post_ids: Sequence[str]) -> dict[tuple[str, str], str]:
    """Return (Blogger blog id, post id) → home URL of the blog row, for stored posts.

    One statement, the ids as one list parameter (:mod:`storage.list_params`): a batch's
    hundreds of bound ``IN`` values cost six times as much on SQLite.
    """
    if not post_ids:
        return {}
    connection = session.connection()
    dialect = connection.dialect.name
    rows = connection.execute(_stored_posts_query(dialect), {"ids": list_param(post_ids, dialect)})
    return {(blog_id, post_id): url for blog_id, post_id, url in rows if blog_id and post_id}


@cache
def _stored_posts_query(dialect_name: str) -> Any:
    """Build the query of :func:`_stored_post_blogs` once per dialect (statements are immutable)."""
    return (
        select(_POSTS.c.blogger_blog_id, _POSTS.c.blogger_post_id, _BLOGS.c.url)
        .join(_BLOGS, _BLOGS.c.id == _POSTS.c.blog_id)
        .where(_POSTS.c.blogger_post_id.in_(list_values("ids", dialect_name)))
    )
