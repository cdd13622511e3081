"""Deciding, for one batch of post rows, which are new, changed, or unchanged.

One query per batch finds the stored rows by URL, one more by Blogger ids; nothing is written
here. Kept apart from :mod:`storage.repository` so the decision rules read on their own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, or_, select, union_all
from sqlalchemy.orm import Session

from crawler.urls import identity_of_public, public_forms
from storage.content import PostRow
from storage.list_params import list_param, list_values
from storage.models import Post

# Compared to tell an in-place metadata update from "unchanged".
_METADATA = ("comment_count", "updated_at", "blogger_blog_id", "blogger_post_id", "blog_id")


@dataclass(frozen=True, slots=True)
class ExistingPost:
    """The stored state of a post that a batch row maps to."""

    id: int
    url: str
    blog_id: int
    blogger_blog_id: str | None
    blogger_post_id: str | None
    content_hash: str
    comment_count: int | None
    updated_at: datetime | None
    first_seen_at: datetime
    last_seen_at: datetime
    last_changed_at: datetime
    parser_version: str | None
    has_raw_page: bool
    change_seq: int
    deleted_at: datetime | None


@dataclass(frozen=True, slots=True)
class PostPlan:
    """What to do with one row: ``values`` is final (URL and ids resolved to the stored row)."""

    values: dict[str, Any]
    existing: ExistingPost | None
    content_changed: bool
    metadata_changed: bool
    needs_write: bool
    renamed: bool = False
    """The stored row's URL is another form (scheme) of ``values["url"]``: the row's URL is
    rewritten to the new form (the blog now serves that scheme)."""


@dataclass(frozen=True, slots=True)
class ExistingLookup:
    by_url: Mapping[str, ExistingPost]
    """By identity URL (:func:`~crawler.urls.canonical_url`): scheme-blind."""
    by_ids: Mapping[tuple[str, str], ExistingPost]


_POSTS = cast("Table", Post.__table__)
# Plain Core columns (not ORM attributes): the lookup runs once per batch on the hot path and
# needs no ORM result processing.
_EXISTING_COLUMNS = (
    _POSTS.c.id,
    _POSTS.c.url,
    _POSTS.c.blog_id,
    _POSTS.c.blogger_blog_id,
    _POSTS.c.blogger_post_id,
    _POSTS.c.content_hash,
    _POSTS.c.comment_count,
    _POSTS.c.updated_at,
    _POSTS.c.first_seen_at,
    _POSTS.c.last_seen_at,
    _POSTS.c.last_changed_at,
    _POSTS.c.parser_version,
    _POSTS.c.raw_page.is_not(None),
    _POSTS.c.change_seq,
    _POSTS.c.deleted_at,
)


def find_existing(session: Session, rows: Sequence[Mapping[str, Any]]) -> ExistingLookup:
    """Return the stored posts matching ``rows`` by URL (in any scheme) or by Blogger ids."""
    # Row and stored URLs are in public form (storage.content): only their scheme can differ.
    urls = {form for row in rows for form in public_forms(row["url"])}
    post_ids = {row["blogger_post_id"] for row in rows if row["blogger_post_id"]}
    by_url: dict[str, ExistingPost] = {}
    by_ids: dict[tuple[str, str], ExistingPost] = {}
    query, params = _lookup_query(session, urls, post_ids)
    for found in _existing(session, query, params):
        if found.url in urls:
            by_url[identity_of_public(found.url)] = found
        if found.blogger_blog_id and found.blogger_post_id:
            by_ids[(found.blogger_blog_id, found.blogger_post_id)] = found
    return ExistingLookup(by_url=by_url, by_ids=by_ids)


def _lookup_query(
    session: Session, urls: set[str], post_ids: set[str]
) -> tuple[Any, dict[str, Any]]:
    """Return the lookup and its parameters: one round trip, matching by URL or by post id.

    Each list goes as one parameter (:mod:`storage.list_params`). An ``IN`` list of a
    batch's 1,000 bound values cost SQLAlchemy and the driver more to render and parse than
    the databases' own work (about 5 ms a batch with psycopg, whose query cache skips so long
    a statement; 2 ms on SQLite).
    """
    dialect = session.get_bind().dialect.name
    query = _postgres_lookup() if dialect == "postgresql" else _sqlite_lookup()
    return query, {"urls": list_param(urls, dialect), "post_ids": list_param(post_ids, dialect)}


@cache
def _sqlite_lookup() -> Any:
    """Build the SQLite lookup of :func:`_lookup_query` once (statements are immutable).

    SQLite plans the ``OR`` of the two ``IN (SELECT ...)`` as a multi-index OR, one index
    search per value (``EXPLAIN QUERY PLAN``); bound ``IN`` lists cost three times as much a
    batch.
    """
    urls = list_values("urls", "sqlite")
    post_ids = list_values("post_ids", "sqlite")
    return select(*_EXISTING_COLUMNS).where(
        or_(_POSTS.c.url.in_(urls), _POSTS.c.blogger_post_id.in_(post_ids))
    )


@cache
def _postgres_lookup() -> Any:
    """Build the PostgreSQL lookup of :func:`_lookup_query` once (statements are immutable).

    Each half is a semi-join on ``unnest(:array)``, ``UNION ALL``-ed rather than ORed: an
    ``OR`` of two subqueries always scans the whole table (and ``= ANY(:array)``'s generic
    plan compares every row with every value), while a semi-join takes the unique index per
    value once the table has statistics.
    """
    urls = list_values("urls", "postgresql")
    post_ids = list_values("post_ids", "postgresql")
    return union_all(
        select(*_EXISTING_COLUMNS).where(_POSTS.c.url.in_(urls)),
        # A row matched by both its URL and its ids comes back once.
        select(*_EXISTING_COLUMNS).where(
            _POSTS.c.blogger_post_id.in_(post_ids), _POSTS.c.url.not_in(urls)
        ),
    )


def _existing(session: Session, query: Any, params: dict[str, Any]) -> list[ExistingPost]:
    return [ExistingPost(*row) for row in session.connection().execute(query, params)]


def plan_posts(
    rows: Sequence[PostRow], existing: ExistingLookup, *, seen: bool = True
) -> list[PostPlan]:
    """Decide each row's fate; returns one plan per row, same order.

    ``plan.values`` is ``row.values``, changed in place. ``seen=False``: the rows were not
    seen on the web now, so a stored row keeps its ``last_seen_at``.

    A row whose Blogger ids belong to a stored post under another URL is folded into that
    post (its URL is rewritten to the stored one). A row whose URL matches one stored post
    while its ids belong to a different one keeps the URL's row and that row's ids, so the
    unique ids never make the batch fail.
    """
    plans: list[PostPlan] = []
    url_by_new_ids: dict[tuple[str, str], str] = {}
    for post_row in rows:
        row = post_row.values
        target = _resolve_target(row, existing)
        ids = (row["blogger_blog_id"], row["blogger_post_id"])
        if target is None and all(ids):
            # Two URLs of one new post in the same batch must become one row, not two.
            row["url"] = url_by_new_ids.setdefault(ids, row["url"])
        plans.append(_plan(row, target, seen=seen, has_raw_page=post_row.has_raw_page))
    return _last_per_url(plans)


def _resolve_target(row: dict[str, Any], existing: ExistingLookup) -> ExistingPost | None:
    by_url = existing.by_url.get(identity_of_public(row["url"]))
    ids = (row["blogger_blog_id"], row["blogger_post_id"])
    by_ids = existing.by_ids.get(ids) if all(ids) else None
    if by_url is None and by_ids is not None:
        # Same Blogger post under another host (custom domain, moved blog): the stored row
        # keeps its URL and blog.
        row["url"] = by_ids.url
        row["blog_id"] = by_ids.blog_id
        return by_ids
    if by_url is not None and by_ids is not None and by_ids.id != by_url.id:
        row["blogger_blog_id"] = by_url.blogger_blog_id
        row["blogger_post_id"] = by_url.blogger_post_id
    return by_url


def _plan(
    row: dict[str, Any], target: ExistingPost | None, *, seen: bool, has_raw_page: bool
) -> PostPlan:
    if target is None:
        return PostPlan(row, None, content_changed=False, metadata_changed=False, needs_write=True)
    content_changed = row["content_hash"] != target.content_hash
    row["first_seen_at"] = target.first_seen_at
    if not seen:
        row["last_seen_at"] = target.last_seen_at
        # Only a sighting on the web brings a deleted post back; a reparse of its kept page
        # says nothing about the blog now.
        row["deleted_at"] = target.deleted_at
    if not content_changed:
        row["last_changed_at"] = target.last_changed_at
    # A deleted post seen again is revived: a change the consumers' cursor must see.
    revived = seen and target.deleted_at is not None
    renamed = row["url"] != target.url
    metadata_changed = (
        revived or renamed or any(row[name] != getattr(target, name) for name in _METADATA)
    )
    refresh = (has_raw_page and not target.has_raw_page) or (
        row["parser_version"] is not None and row["parser_version"] != target.parser_version
    )
    return PostPlan(
        row,
        target,
        content_changed=content_changed,
        metadata_changed=metadata_changed,
        needs_write=content_changed or metadata_changed or refresh,
        renamed=renamed,
    )


def _last_per_url(plans: list[PostPlan]) -> list[PostPlan]:
    """Keep one write per post (two ids- or scheme-variants in one batch): the last one wins."""
    keys = [identity_of_public(plan.values["url"]) for plan in plans]
    last_index = {key: index for index, key in enumerate(keys)}
    return [
        plan
        if last_index[keys[index]] == index
        else PostPlan(plan.values, plan.existing, False, False, needs_write=False)
        for index, plan in enumerate(plans)
    ]
