"""Idempotent batched writes of posts, blogs and rejected pages.

Every function takes a session and **never commits**: the caller owns the transaction
(``with factory.begin() as session: upsert_posts(session, posts)``). Writes go out as one
``INSERT ... ON CONFLICT`` executemany per batch of :data:`BATCH_SIZE`, never a row at a time.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, literal, select, update
from sqlalchemy.orm import Session

from crawler.items import BlogPost, RejectedPage, RejectKind
from crawler.urls import canonical_url, stored_forms_of, url_forms
from storage.blogs import blog_id_map, dialect_insert, upsert_blogs
from storage.change_seq import claim_change_seq, give_back_change_seq
from storage.content import PostRow, UnstorablePost, post_row
from storage.models import Post, PostRevision
from storage.ownership import foreign_claims
from storage.rejects import store_rejected
from storage.upsert_plan import PostPlan, find_existing, plan_posts
from storage.values import BlogInfo

BATCH_SIZE = 500
"""Rows per INSERT statement: large enough to amortise round trips, small enough for
SQLite's bound-parameter limit and for short write locks."""

_POSTS = cast("Table", Post.__table__)
# Columns an upsert must not overwrite: the key, and when the post was first seen.
_KEEP_ON_UPDATE = frozenset({"id", "url", "first_seen_at"})
# A post seen without its raw page keeps the raw page stored earlier.
_KEEP_IF_NULL = frozenset({"raw_page", "raw_source_url", "raw_content_type", "raw_status"})
# Every content field the hash covers, and the metadata the row had.
_REVISION_COLUMNS = (
    "title",
    "body_paragraphs",
    "labels",
    "author",
    "published_at",
    "language",
    "comment_count",
    "updated_at",
    "content_hash",
    "parser_version",
)


class Outcome(StrEnum):
    """What storing one post did."""

    INSERTED = "inserted"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"


def upsert_posts(
    session: Session,
    posts: Sequence[BlogPost],
    *,
    seen_at: datetime | None = None,
    run_id: int | None = None,
    parser_version: str | None = None,
    seen: bool = True,
    blogs: Collection[str] | None = None,
    prepared: Sequence[PostRow | UnstorablePost | None] | None = None,
) -> list[Outcome]:
    """Store ``posts`` and return one :class:`Outcome` per input post, in input order.

    Identity is the Blogger (blog id, post id) pair where known, else the canonical URL
    (``crawler.urls.canonical_url``), so every URL variant of a post lands in one row, and a
    post first stored by URL and later seen with ids stays one row (under its first URL).
    ``INSERTED``: a new row. ``UPDATED``: the content hash changed (the previous content is kept
    in ``post_revisions``) or only metadata changed in place (comment count, ``updated_at``,
    ids; no revision). ``UNCHANGED``: nothing differs; only ``last_seen_at`` moves.
    ``REJECTED``: no usable URL, or neither title nor body; the post goes to
    ``rejected_pages`` with its reason and raw bytes, never an exception.
    Duplicates in one call: the last occurrence wins and carries the outcome; earlier ones
    are reported ``UNCHANGED``. ``seen_at`` (aware; ``None`` = now) stamps the rows.
    ``post.raw_page``, when set, is kept zlib-compressed for later re-parse; ``None`` keeps a
    stored raw page. ``parser_version`` is recorded on written rows. ``seen=False`` says the
    posts were not seen on the web now (a reparse of stored pages): stored posts and blogs keep
    their ``last_seen_at``, and an unchanged post is not written at all. ``blogs``, when
    given, are the canonical home URLs the caller may write (a crawl's blogs): a post of any
    other blog, or whose Blogger ids the database holds for another blog, is ``REJECTED``
    with the reason (:func:`storage.ownership.foreign_claims`) and creates no ``blogs`` row.
    Writes in batches of :data:`BATCH_SIZE` with the dialect's ``INSERT ... ON CONFLICT``.
    A post marked deleted (``deleted_at``, :mod:`storage.deletions`) that is stored again with
    ``seen=True`` comes back to life: ``deleted_at`` is cleared and the post is ``UPDATED``;
    ``seen=False`` keeps its ``deleted_at``.
    Every inserted or changed row (content or metadata) takes a new ``change_seq``
    (:mod:`storage.change_seq`); a row rewritten only for its raw page or parser version
    keeps its own.
    ``prepared``, when given, holds each post's :func:`storage.content.prepare_post` (same
    order; ``None``: built here), made from the posts as they are now.
    """
    now = seen_at or datetime.now(UTC)
    if prepared is not None and len(prepared) != len(posts):
        raise ValueError(f"{len(prepared)} prepared rows for {len(posts)} posts")
    outcomes = [Outcome.UNCHANGED] * len(posts)
    rows: dict[str, tuple[int, PostRow]] = {}
    rejects: list[RejectedPage] = []
    for index, post in enumerate(posts):
        ahead = prepared[index] if prepared is not None else None
        if isinstance(ahead, UnstorablePost):
            outcomes[index] = Outcome.REJECTED
            rejects.append(_as_rejected(post, RejectKind.UNSTORABLE, ahead.reason))
            continue
        if ahead is not None:
            row = ahead.for_write(now, parser_version)
        else:
            try:
                # Raw pages are compressed later, only for the rows that are written.
                row = post_row(post, seen_at=now, parser_version=parser_version, compress_raw=False)
            except UnstorablePost as unstorable:
                outcomes[index] = Outcome.REJECTED
                rejects.append(_as_rejected(post, RejectKind.UNSTORABLE, unstorable.reason))
                continue
        rows.pop(row.values["url"], None)  # re-insert so the dict keeps last-occurrence order
        rows[row.values["url"]] = (index, row)
    owners = None
    if blogs is not None:
        check = foreign_claims(session, [row for _, row in rows.values()], blogs)
        owners = check.owners
        for url, reason in check.refused.items():
            index, _ = rows.pop(url)
            outcomes[index] = Outcome.REJECTED
            rejects.append(_as_rejected(posts[index], RejectKind.OFF_BLOG, reason))
    numbers = _ChangeNumbers(0, 0)
    if rows:
        # The counter before any posts row (see its lock order); rows are built first so the
        # lock is not held over hashing them. One value per row at most changes: claimed now,
        # a batch of new posts needs no second statement; unused values are given back.
        numbers = _ChangeNumbers(claim_change_seq(session, len(rows)), len(rows))
        if seen_at is None:
            # Stamp with the clock read under the counter: writers then stamp in commit order,
            # so ``last_changed_at`` never goes back across commits (a clock stepped back aside).
            now = datetime.now(UTC)
            for _, row in rows.values():
                row.values.update(first_seen_at=now, last_seen_at=now, last_changed_at=now)
    if rejects:
        store_rejected(session, rejects, parser_version=parser_version or "", run_id=run_id)
    blog_ids = _blog_ids_for(session, [row for _, row in rows.values()], seen=seen, owners=owners)
    pending = list(rows.values())
    for start in range(0, len(pending), BATCH_SIZE):
        batch = pending[start : start + BATCH_SIZE]
        for (index, _), outcome in zip(
            batch, _write_batch(session, batch, blog_ids, numbers, now, seen=seen), strict=True
        ):
            outcomes[index] = outcome
    if numbers.used < numbers.claimed:
        give_back_change_seq(session, numbers.first, numbers.used)
    return outcomes


class _ChangeNumbers:
    """The ``change_seq`` values one call claimed: ``first .. first + claimed - 1``."""

    def __init__(self, first: int, claimed: int) -> None:
        self.first = first
        self.claimed = claimed
        self.used = 0

    def take(self, count: int) -> int:
        """Return the first of the next ``count`` values; raises if fewer are left."""
        if self.used + count > self.claimed:
            raise RuntimeError(f"{count} change_seq values wanted, {self.claimed - self.used} left")
        start = self.first + self.used
        self.used += count
        return start


def _as_rejected(post: BlogPost, kind: RejectKind, reason: str) -> RejectedPage:
    raw = post.raw_page
    url = post.url or (raw.url if raw else "") or post.source_url or ""
    return RejectedPage.of(kind, reason, url=url, page=raw)


def _blog_ids_for(
    session: Session,
    rows: Sequence[PostRow],
    *,
    seen: bool,
    owners: Mapping[str | None, str] | None,
) -> dict[str, int]:
    """Make sure every blog of ``rows`` exists; return canonical home URL → ``blogs.id``.

    ``owners``: the Blogger blog ids' owners, as the ownership check read them (``None``:
    read by ``upsert_blogs``).
    """
    infos: dict[str, BlogInfo] = {}
    for row in rows:
        known = infos.get(row.blog_url)
        if known is None or (not known.blog_id and row.values["blogger_blog_id"]):
            infos[row.blog_url] = BlogInfo(
                url=row.blog_url, blog_id=row.values["blogger_blog_id"], title=row.blog_title
            )
    ids = upsert_blogs(session, list(infos.values()), seen=seen, owners=owners)
    missing = [url for url in infos if url not in ids]
    if missing:  # a home URL that upsert_blogs wrote under another spelling
        ids.update(blog_id_map(session, missing))
    return ids


def _write_batch(
    session: Session,
    batch: Sequence[tuple[int, PostRow]],
    blog_ids: Mapping[str, int],
    numbers: _ChangeNumbers,
    now: datetime,
    *,
    seen: bool,
) -> list[Outcome]:
    for _, row in batch:
        row.values["blog_id"] = blog_ids[row.blog_url]
    existing = find_existing(session, [row.values for _, row in batch])
    plans = plan_posts([row for _, row in batch], existing, seen=seen)
    changed = [p.existing.id for p in plans if p.content_changed and p.existing]
    _write_revisions(session, changed, now)
    for (_, row), plan in zip(batch, plans, strict=True):
        if plan.needs_write:
            row.compress_raw()
    _number_changes(plans, numbers)
    _rename_rows(session, [p for p in plans if p.needs_write and p.renamed and p.existing])
    _insert_new_rows(session, [p.values for p in plans if p.needs_write and p.existing is None])
    _upsert_rows(session, [p.values for p in plans if p.needs_write and p.existing is not None])
    if seen:
        _touch(session, [p.existing.id for p in plans if not p.needs_write and p.existing], now)
    return [_outcome(plan) for plan in plans]


def _number_changes(plans: Sequence[PostPlan], numbers: _ChangeNumbers) -> None:
    """Give each row to be written its ``change_seq``: new for a change, its own otherwise."""
    changes = [
        plan
        for plan in plans
        if plan.needs_write
        and (plan.existing is None or plan.content_changed or plan.metadata_changed)
    ]
    first = numbers.take(len(changes))
    for offset, plan in enumerate(changes):
        plan.values["change_seq"] = first + offset
    for plan in plans:
        if plan.needs_write and plan.existing is not None and "change_seq" not in plan.values:
            plan.values["change_seq"] = plan.existing.change_seq


def _rename_rows(session: Session, plans: Sequence[PostPlan]) -> None:
    """Give stored rows their URL's new form (scheme) before the upsert finds them by URL."""
    if not plans:
        return
    stmt = update(_POSTS).where(_POSTS.c.id == bindparam("row_id")).values(url=bindparam("new"))
    session.connection().execute(
        stmt,
        [
            {"row_id": plan.existing.id, "new": plan.values["url"]}
            for plan in plans
            if plan.existing
        ],
    )


def _outcome(plan: PostPlan) -> Outcome:
    if plan.existing is None:
        # A row folded into a later one of the same batch wrote nothing itself.
        return Outcome.INSERTED if plan.needs_write else Outcome.UNCHANGED
    if plan.content_changed or plan.metadata_changed:
        return Outcome.UPDATED
    return Outcome.UNCHANGED


def _write_revisions(session: Session, post_ids: Sequence[int], replaced_at: datetime) -> None:
    """Copy the current content of ``post_ids`` into ``post_revisions`` in one statement."""
    if not post_ids:
        return
    connection = session.connection()
    source = select(
        _POSTS.c.id,
        *(_POSTS.c[name] for name in _REVISION_COLUMNS),
        literal(replaced_at, PostRevision.replaced_at.type),
    ).where(_POSTS.c.id.in_(post_ids))
    target = cast("Table", PostRevision.__table__)
    connection.execute(
        target.insert().from_select(["post_id", *_REVISION_COLUMNS, "replaced_at"], source)
    )


def _upsert_rows(session: Session, values: Sequence[dict[str, Any]]) -> None:
    if not values:
        return
    connection = session.connection()
    connection.execute(posts_upsert_statement(connection.dialect.name), values)


def _insert_new_rows(session: Session, values: Sequence[dict[str, Any]]) -> None:
    """Write rows the lookup found no stored post for, as :func:`_upsert_rows` would.

    On SQLite, an ``INSERT ... ON CONFLICT (url) DO NOTHING`` first: with foreign keys on,
    SQLite's ``DO UPDATE`` form costs half as much again per row even when it updates
    nothing. A row another writer stored since the lookup is not inserted; the inserted count
    (exact on SQLite) tells, and then all of them go through the upsert, which writes the same
    values again for the rows just inserted and updates the others as it alone would have.
    PostgreSQL pays nothing extra for the upsert and reports no executemany count (psycopg
    gives -1; ``RETURNING`` would turn the executemany into costlier multi-row statements),
    so there the rows go through the upsert directly.
    """
    if not values:
        return
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        _upsert_rows(session, values)
        return
    inserted = connection.execute(posts_insert_new_statement(connection.dialect.name), values)
    if inserted.rowcount != len(values):
        _upsert_rows(session, values)


@cache
def posts_upsert_statement(dialect_name: str) -> Any:
    """Return the posts ``INSERT ... ON CONFLICT (url) DO UPDATE``, built once per dialect.

    Statements are immutable; building this one (a SET clause over every column) for every
    batch cost more than its cached compilation.
    """
    stmt = dialect_insert(dialect_name)(_POSTS)
    set_: dict[str, Any] = {}
    for column in _POSTS.columns:
        if column.name in _KEEP_ON_UPDATE:
            continue
        new = stmt.excluded[column.name]
        set_[column.name] = func.coalesce(new, column) if column.name in _KEEP_IF_NULL else new
    return stmt.on_conflict_do_update(index_elements=["url"], set_=set_)


@cache
def posts_insert_new_statement(dialect_name: str) -> Any:
    """Return the posts ``INSERT ... ON CONFLICT (url) DO NOTHING``, built once per dialect."""
    return dialect_insert(dialect_name)(_POSTS).on_conflict_do_nothing(index_elements=["url"])


def _touch(session: Session, post_ids: Sequence[int], now: datetime) -> None:
    if post_ids:
        stmt = update(_POSTS).where(_POSTS.c.id.in_(post_ids)).values(last_seen_at=now)
        session.connection().execute(stmt)


def refresh_comment_counts(session: Session, counts: Mapping[str, int | None]) -> int:
    """Set ``comment_count`` of stored posts in place (no revision); return rows changed.

    ``counts`` maps a post URL (any variant; canonicalised here) to its comment count from the
    feed's ``thr:total``, for posts whose page was not refetched. Unknown or malformed URLs
    are ignored; rows whose count already equals the new value are not counted. Each changed
    row takes a new ``change_seq``, so the consumers' cursor sees the new count.
    """
    wanted: dict[str, int | None] = {}
    for url, count in counts.items():
        try:
            wanted[canonical_url(url)] = count
        except ValueError:
            continue
    urls = [form for url in wanted for form in url_forms(url)]
    changes: list[dict[str, Any]] = []
    for start in range(0, len(urls), BATCH_SIZE):
        chunk = urls[start : start + BATCH_SIZE]
        query = select(Post.id, Post.url, Post.comment_count).where(Post.url.in_(chunk))
        for row_id, url, stored in session.execute(query):
            count = wanted[canonical_url(url)]
            if stored != count:
                changes.append({"row_id": row_id, "count": count})
    if changes:
        first = claim_change_seq(session, len(changes))
        for offset, change in enumerate(changes):
            change["seq"] = first + offset
        stmt = (
            update(_POSTS)
            .where(_POSTS.c.id == bindparam("row_id"))
            .values(comment_count=bindparam("count"), change_seq=bindparam("seq"))
        )
        session.connection().execute(stmt, changes)
    return len(changes)


def mark_seen(session: Session, urls: Iterable[str], seen_at: datetime) -> int:
    """Move ``last_seen_at`` of the stored posts at ``urls`` to ``seen_at``; return rows moved.

    For posts that discovery listed in a crawl but whose pages were not refetched (unchanged,
    or answered 304): seeing a post is not changing it, so ``change_seq`` stays. URLs are
    canonicalised (malformed ones ignored); one ``UPDATE`` per :data:`BATCH_SIZE` URLs. A row
    already seen later than ``seen_at`` keeps its time.
    """
    wanted = stored_forms_of(urls)
    if not wanted:
        return 0
    claim_change_seq(session, 0)  # the counter before any posts row: see its lock order
    ordered = sorted(wanted)
    moved = 0
    for start in range(0, len(ordered), BATCH_SIZE):
        chunk = ordered[start : start + BATCH_SIZE]
        stmt = (
            update(_POSTS)
            .where(_POSTS.c.url.in_(chunk), _POSTS.c.last_seen_at < seen_at)
            .values(last_seen_at=seen_at)
        )
        moved += session.connection().execute(stmt).rowcount
    return moved


__all__ = [
    "BATCH_SIZE",
    "Outcome",
    "mark_seen",
    "refresh_comment_counts",
    "store_rejected",
    "upsert_blogs",
    "upsert_posts",
]
