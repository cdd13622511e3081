"""Idempotent writes of comments, their deletion, and the per-blog gap (held vs shown).

Every function takes a session and **never commits**: the caller owns the transaction.
Comments are keyed by (post row, Blogger comment id); a comment without a Blogger id cannot be
identified again and is skipped (counted). Rows are never removed: a comment Blogger shows as
removed gets ``deletion = 'notice'`` and no text; one missing from a complete listing of its
post's thread gets ``deletion = 'missing'`` and keeps its last text.

Values from a comments feed win over a page's (exact times with milliseconds, the author's
profile link, comments past the page's 200): a page listing never rewrites a row the feed
wrote, it only moves ``last_seen_at`` (or marks the comment deleted when the page shows the
removal notice). Every inserted or changed row takes a ``change_seq`` from the counter
``posts`` use (:mod:`storage.change_seq`), so one cursor follows posts and comments.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, or_, select, union_all, update
from sqlalchemy.orm import Session

from crawler.items import BlogComment, PostComments
from crawler.urls import blog_home_url, canonical_url, url_forms
from storage.blogs import dialect_insert
from storage.change_seq import claim_change_seq
from storage.list_params import list_param, list_values
from storage.models import Blog, Comment, Post

BATCH_SIZE = 500
"""Rows per statement (SQLite's bound-parameter limit, short write locks)."""

NOTICE = "notice"
"""``deletion`` of a comment Blogger shows as removed by its author or an administrator."""

MISSING = "missing"
"""``deletion`` of a comment gone from a complete listing of its post's thread."""

_COMMENTS = cast("Table", Comment.__table__)
_POSTS = cast("Table", Post.__table__)
_BLOGS = cast("Table", Blog.__table__)
_MAX_ID = 32


@dataclass
class CommentWrite:
    """What one :func:`upsert_comments` call did."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    """Stored comments newly marked deleted because a complete listing lacked them."""
    skipped: int = 0
    """Comments without a usable Blogger id (1-32 digits): not storable."""
    refused: int = 0
    """Comments a listing read from one blog claimed for a post of another: not stored."""
    unplaced: list[PostComments] = field(default_factory=list)
    """Listings whose post is not stored (yet): nothing of them was written."""

    @property
    def stored(self) -> int:
        """Comments inserted or changed."""
        return self.inserted + self.updated


def comment_hash(comment: BlogComment) -> str:
    """Return the sha256 hex of what a comment says: a change of it is a change of the row.

    The digest is of ``json.dumps([parent, author, author_url, published, updated,
    paragraphs, deleted], ensure_ascii=False, separators=(",", ":"))``, times as ISO 8601
    in UTC, NUL characters left out of text.
    """
    values = [
        comment.parent,
        _text(comment.author),
        _text(comment.author_url),
        _iso(comment.published),
        _iso(comment.updated),
        [] if comment.deleted else [_text(p) for p in comment.paragraphs],
        comment.deleted,
    ]
    encoded = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def upsert_comments(
    session: Session,
    listings: Sequence[PostComments],
    *,
    seen_at: datetime | None = None,
    sighting: bool = True,
) -> CommentWrite:
    """Store the comments of ``listings``; return what happened (see the module docstring).

    A listing whose post is not stored is returned in ``unplaced`` untouched (the caller may
    try again once the post is stored). A listing with a ``source_url`` (a feed page) only
    reaches posts of the blog that URL is on; comments it claims for another blog's post are
    ``refused``. Within one call the last occurrence of a comment wins.
    A ``complete`` listing marks the post's stored comments it lacks (neither in ``comments``
    nor in ``listed_ids``) deleted (``missing``).
    A comment that is not new and says nothing new only moves ``last_seen_at``; with
    ``sighting=False`` (listings re-read from kept pages, not seen on the web) it is left as
    it was.
    A listing with no comments that is not complete has nothing to write or mark: it is
    skipped without a lookup (and never comes back ``unplaced``).
    """
    now = seen_at or datetime.now(UTC)
    result = CommentWrite()
    # Most posts of a crawl carry an empty partial page thread; looking their posts up cost
    # two queries a batch (a third of storing a batch of new posts).
    listings = [listing for listing in listings if listing.comments or listing.complete]
    if not listings:
        return result
    posts = _post_rows(session, listings)
    wanted: dict[tuple[int, str], tuple[BlogComment, str]] = {}
    complete: dict[int, set[str]] = {}
    for listing, post in zip(listings, posts, strict=True):
        if post is None:
            result.unplaced.append(listing)
            continue
        row_id, home = post
        if listing.source_url is not None and _home(listing.source_url) != home:
            # A feed names a post of another blog: never attached there (trust nothing fetched).
            result.refused += len(listing.comments)
            continue
        kept = complete.setdefault(row_id, set()) if listing.complete else None
        if kept is not None:
            kept.update(filter(None, map(_checked_id, listing.listed_ids)))
        for comment in listing.comments:
            comment_id = _checked_id(comment.id)
            if comment_id is None:
                result.skipped += 1
                continue
            wanted.pop((row_id, comment_id), None)  # keep the last occurrence, in order
            wanted[(row_id, comment_id)] = (comment, listing.source)
            if kept is not None:
                kept.add(comment_id)
    if not wanted and not complete:
        return result
    claim_change_seq(session, 0)  # the counter before any row: see its lock order
    stored = _stored(session, wanted, set(complete))
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    touched: list[int] = []
    for (row_id, comment_id), (comment, source) in wanted.items():
        known = stored.get((row_id, comment_id))
        values = _row_values(comment, source, now)
        if known is None:
            inserts.append(
                {**values, "post_id": row_id, "blogger_comment_id": comment_id}
                | {"first_seen_at": now}
            )
        elif _changes(known, values):
            updates.append(_update_values(known, values, now))
        else:
            touched.append(known.id)
    missing = [
        known
        for (row_id, comment_id), known in stored.items()
        if row_id in complete
        and comment_id not in complete[row_id]
        and known.deletion is None
        and (row_id, comment_id) not in wanted
    ]
    changes = len(inserts) + len(updates) + len(missing)
    if changes:
        first = claim_change_seq(session, changes)
        for offset, values in enumerate([*inserts, *updates]):
            values["change_seq"] = first + offset
        _insert(session, inserts)
        _update(session, updates)
        missing_ids = [known.id for known in missing]
        after = first + len(inserts) + len(updates)
        mark_comments_deleted(session, missing_ids, now, first_seq=after)
    if sighting:
        _touch(session, touched, now)
    result.inserted += len(inserts)
    result.updated += len(updates)
    result.unchanged += len(touched)
    result.deleted += len(missing)
    return result


def mark_comments_deleted(
    session: Session,
    comment_row_ids: Sequence[int],
    when: datetime,
    *,
    first_seq: int | None = None,
) -> int:
    """Mark stored comments deleted (``missing``) at ``when``; return how many were marked.

    Their text stays. Each marked row takes a new ``change_seq``: ``first_seq`` onwards when
    the caller claimed them already, else claimed here. Rows already deleted are left alone.
    """
    ids = list(comment_row_ids)
    if not ids:
        return 0
    if first_seq is None:
        live = session.scalars(
            select(Comment.id).where(Comment.id.in_(ids), Comment.deletion.is_(None))
        ).all()
        ids = list(live)
        if not ids:
            return 0
        first_seq = claim_change_seq(session, len(ids))
    params = [{"row_id": row_id, "seq": first_seq + n} for n, row_id in enumerate(ids)]
    stmt = (
        update(_COMMENTS)
        .where(_COMMENTS.c.id == bindparam("row_id"), _COMMENTS.c.deletion.is_(None))
        .values(deletion=MISSING, deleted_at=when, last_seen_at=when, change_seq=bindparam("seq"))
    )
    session.connection().execute(stmt, params)
    return len(ids)


@dataclass(frozen=True, kw_only=True)
class CommentGap:
    """Comments held against comments shown, for one blog."""

    held: int
    """Stored comments Blogger still shows (live, or shown as a removal notice)."""
    shown: int
    """The sum of the comment counts Blogger shows on the blog's stored posts."""

    @property
    def missing(self) -> int:
        """How many shown comments are not held (never negative)."""
        return max(self.shown - self.held, 0)


def comment_gaps(session: Session, blog_ids: Iterable[int] | None = None) -> dict[int, CommentGap]:
    """Return ``blogs.id`` → :class:`CommentGap` for every blog with stored posts.

    ``blog_ids`` limits it to those blogs. Comments deleted as ``missing`` are not held:
    Blogger no longer counts them; removal notices still count, as on Blogger.
    """
    shown_query = select(Post.blog_id, func.coalesce(func.sum(Post.comment_count), 0)).group_by(
        Post.blog_id
    )
    held_query = (
        select(Post.blog_id, func.count(Comment.id))
        .join(Post, Post.id == Comment.post_id)
        .where(or_(Comment.deletion.is_(None), Comment.deletion != MISSING))
        .group_by(Post.blog_id)
    )
    if blog_ids is not None:
        wanted = list(blog_ids)
        shown_query = shown_query.where(Post.blog_id.in_(wanted))
        held_query = held_query.where(Post.blog_id.in_(wanted))
    shown = {blog: int(total or 0) for blog, total in session.execute(shown_query)}
    held = {blog: int(count) for blog, count in session.execute(held_query)}
    return {
        blog: CommentGap(held=held.get(blog, 0), shown=shown.get(blog, 0))
        for blog in sorted(set(shown) | set(held))
    }


def blog_comment_gap(session: Session, blog_url: str) -> CommentGap | None:
    """Return the :class:`CommentGap` of the blog at ``blog_url`` (canonical home URL).

    ``None`` when the blog has no stored posts.
    """
    blog_id = session.scalar(select(Blog.id).where(Blog.url == blog_url))
    if blog_id is None:
        return None
    return comment_gaps(session, [blog_id]).get(blog_id)


def run_comment_counts(session: Session, blog_url: str) -> dict[str, int]:
    """Return a closing run's ``comments_held`` and ``comments_shown`` of its blog.

    Read from the database when the run closes, whichever processes stored the blog's
    comments, so that a gap between the comments stored and the counts Blogger shows is
    visible on the run record; empty for a blog with no stored post.
    """
    gap = blog_comment_gap(session, blog_url)
    return {} if gap is None else {"comments_held": gap.held, "comments_shown": gap.shown}


# --- helpers ------------------------------------------------------------------------------------


def _post_rows(session: Session, listings: Sequence[PostComments]) -> list[tuple[int, str] | None]:
    """Return (``posts.id``, blog home URL) of each listing's post; ``None``: not stored.

    A post is found by its Blogger ids (blog and post) first, else by its URL in any of its
    forms; both in one lookup (:func:`_post_lookup`).
    """
    post_ids: set[str] = set()
    forms: set[str] = set()
    urls: list[str | None] = []
    for listing in listings:
        ids = _listing_ids(listing)
        if ids is not None:
            post_ids.add(ids[1])
        url = _canonical(listing.post_url)
        urls.append(url)
        if url is not None:
            # A custom domain's posts may be stored under http (crawler.urls.public_url).
            forms.update(url_forms(url))
    found_ids: dict[tuple[str, str], tuple[int, str]] = {}
    found_urls: dict[str, tuple[int, str]] = {}
    dialect = session.get_bind().dialect.name
    params = {"urls": list_param(forms, dialect), "post_ids": list_param(post_ids, dialect)}
    for blog_id, post_id, url, row_id, home in session.connection().execute(
        _post_lookup(dialect), params
    ):
        if blog_id and post_id:
            found_ids[(str(blog_id), str(post_id))] = (row_id, home)
        if url in forms:
            found_urls[canonical_url(url)] = (row_id, home)
    result: list[tuple[int, str] | None] = []
    for listing, url in zip(listings, urls, strict=True):
        ids = _listing_ids(listing)
        found = found_ids.get(ids) if ids is not None else None
        if found is None and url is not None:
            found = found_urls.get(url)
        result.append(found)
    return result


@cache
def _post_lookup(dialect_name: str) -> Any:
    """Build the lookup of :func:`_post_rows` once per dialect (statements are immutable).

    Posts whose Blogger post id or URL is in the list parameters ``post_ids`` and ``urls``
    (:mod:`storage.list_params`), with their blog's home URL; the Blogger blog id is checked
    by the caller. Each half takes its column's index once per value: a row-value ``IN`` on
    (blog id, post id) made SQLite scan the whole posts table on every batch, and bound
    ``IN`` lists are rendered and parsed per call. On PostgreSQL the halves are ``UNION
    ALL``-ed (an ``OR`` of two subqueries scans the table), a row found by both once.
    """
    columns = (
        _POSTS.c.blogger_blog_id,
        _POSTS.c.blogger_post_id,
        _POSTS.c.url,
        _POSTS.c.id,
        _BLOGS.c.url,
    )
    joined = select(*columns).join_from(_POSTS, _BLOGS, _BLOGS.c.id == _POSTS.c.blog_id)
    urls = list_values("urls", dialect_name)
    post_ids = list_values("post_ids", dialect_name)
    if dialect_name != "postgresql":
        return joined.where(or_(_POSTS.c.url.in_(urls), _POSTS.c.blogger_post_id.in_(post_ids)))
    return union_all(
        joined.where(_POSTS.c.url.in_(urls)),
        joined.where(_POSTS.c.blogger_post_id.in_(post_ids), _POSTS.c.url.not_in(urls)),
    )


def _home(url: str) -> str | None:
    try:
        return blog_home_url(url)
    except ValueError:
        return None


def _listing_ids(listing: PostComments) -> tuple[str, str] | None:
    blog_id, post_id = _checked_id(listing.blog_id), _checked_id(listing.post_id)
    return (blog_id, post_id) if blog_id and post_id else None


def _stored(
    session: Session, wanted: Iterable[tuple[int, str]], whole_posts: set[int]
) -> dict[tuple[int, str], Any]:
    """Return the stored comments, keyed by (post row, Blogger comment id).

    Every comment of ``whole_posts`` (complete listings) and the ``wanted`` ones of the other
    posts (looked up by comment id, Blogger's ids being unique in a blog). Rows have the
    attributes ``id``, ``post_id``, ``blogger_comment_id``, ``content_hash``, ``source``,
    ``deletion``. A blog-wide feed page names a few comments of many posts: only
    those are read, not every post's whole thread.
    """
    columns = (
        Comment.id,
        Comment.post_id,
        Comment.blogger_comment_id,
        Comment.content_hash,
        Comment.source,
        Comment.deletion,
    )
    stored: dict[tuple[int, str], Any] = {}
    ordered = sorted(whole_posts)
    for start in range(0, len(ordered), BATCH_SIZE):
        chunk = ordered[start : start + BATCH_SIZE]
        for row in session.execute(select(*columns).where(Comment.post_id.in_(chunk))):
            stored[(row.post_id, row.blogger_comment_id)] = row
    others = {key for key in wanted if key[0] not in whole_posts}
    comment_ids = sorted({comment_id for _, comment_id in others})
    for start in range(0, len(comment_ids), BATCH_SIZE):
        chunk_ids = comment_ids[start : start + BATCH_SIZE]
        query = select(*columns).where(Comment.blogger_comment_id.in_(chunk_ids))
        for row in session.execute(query):
            key = (row.post_id, row.blogger_comment_id)
            if key in others:
                stored[key] = row
    return stored


def _row_values(comment: BlogComment, source: str, now: datetime) -> dict[str, Any]:
    for name, moment in (("published", comment.published), ("updated", comment.updated)):
        if moment is not None and moment.utcoffset() is None:
            raise ValueError(f"comment {comment.id}: {name} time has no timezone")
    return {
        "parent_blogger_comment_id": _checked_id(comment.parent),
        "author": _text(comment.author),
        "author_url": _text(_no_email(comment.author_url)),
        "published_at": comment.published,
        "updated_at": comment.updated,
        "paragraphs": [] if comment.deleted else [_text(p) for p in comment.paragraphs],
        "deletion": NOTICE if comment.deleted else None,
        "deleted_at": now if comment.deleted else None,
        "source": source,
        "content_hash": comment_hash(comment),
        "last_seen_at": now,
    }


def _changes(known: Any, values: dict[str, Any]) -> bool:
    """Whether storing ``values`` over the stored row ``known`` changes what it says."""
    if values["deletion"] == NOTICE and known.deletion != NOTICE:
        return True  # a removal notice is news whichever listing shows it
    if known.source == "feed" and values["source"] == "page":
        return False  # the feed's values stand
    if known.deletion == MISSING:
        return True  # back in a listing: live again
    return bool(known.content_hash != values["content_hash"])


def _update_values(known: Any, values: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Return the columns to set on the stored row ``known`` (``row_id`` names it)."""
    if known.source == "feed" and values["source"] == "page":
        # Only the removal notice is taken from a page over the feed's values.
        return {
            "row_id": known.id,
            "paragraphs": [],
            "deletion": NOTICE,
            "deleted_at": now,
            "content_hash": values["content_hash"],
            "last_seen_at": now,
        }
    update_values = {"row_id": known.id, **values}
    if known.deletion == NOTICE and values["deletion"] == NOTICE:
        del update_values["deleted_at"]  # keeps when it was first seen removed
    return update_values


def _insert(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    connection = session.connection()
    stmt = dialect_insert(connection.dialect.name)(_COMMENTS)
    for start in range(0, len(rows), BATCH_SIZE):
        connection.execute(stmt, list(rows[start : start + BATCH_SIZE]))


_UPDATED_COLUMNS = (
    "parent_blogger_comment_id",
    "author",
    "author_url",
    "published_at",
    "updated_at",
    "paragraphs",
    "deletion",
    "deleted_at",
    "source",
    "content_hash",
    "last_seen_at",
    "change_seq",
)


def _update(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Write changed rows, one executemany per set of columns they change."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        columns = tuple(name for name in _UPDATED_COLUMNS if name in row)
        # Parameters may not bear the names of the columns they set.
        params = {f"new_{name}": row[name] for name in columns} | {"row_id": row["row_id"]}
        groups.setdefault(columns, []).append(params)
    connection = session.connection()
    for columns, group in groups.items():
        stmt = (
            update(_COMMENTS)
            .where(_COMMENTS.c.id == bindparam("row_id"))
            .values({name: bindparam(f"new_{name}") for name in columns})
        )
        for start in range(0, len(group), BATCH_SIZE):
            connection.execute(stmt, group[start : start + BATCH_SIZE])


def _touch(session: Session, row_ids: Sequence[int], now: datetime) -> None:
    for start in range(0, len(row_ids), BATCH_SIZE):
        chunk = row_ids[start : start + BATCH_SIZE]
        stmt = update(_COMMENTS).where(_COMMENTS.c.id.in_(chunk)).values(last_seen_at=now)
        session.connection().execute(stmt)


def _checked_id(value: str | None) -> str | None:
    if value and value.isascii() and value.isdigit() and len(value) <= _MAX_ID:
        return value
    return None


def _canonical(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return canonical_url(url)
    except ValueError:
        return None


def _no_email(url: str | None) -> str | None:
    """``None`` for an e-mail address or ``mailto:`` link: an author's e-mail is never kept."""
    if url is None:
        return None
    text = url.strip()
    if not text or text.lower().startswith("mailto:") or ("@" in text and "://" not in text):
        return None
    return text


def _text(value: str | None) -> str | None:
    # PostgreSQL text cannot hold NUL; dropping it on both databases keeps hashes equal.
    return value.replace("\x00", "") if value and "\x00" in value else value


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment is not None else None


def held_comment_ids(session: Session, post_row_id: int) -> Mapping[str, str | None]:
    """Blogger comment id → ``deletion`` of every stored comment of one post (for tests/tools)."""
    query = select(Comment.blogger_comment_id, Comment.deletion).where(
        Comment.post_id == post_row_id
    )
    return {comment_id: deletion for comment_id, deletion in session.execute(query)}
