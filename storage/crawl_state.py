"""What incremental recrawl needs: HTTP validators per URL and the posts already stored.

Functions take a session and never commit; the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from crawler.items import RejectKind
from crawler.urls import blog_home_url, canonical_url
from storage.blogs import insert_for
from storage.models import Blog, FetchState, Post, RejectedPageRow
from storage.values import KnownPost, Validators

# Well under SQLite's 32,766 bound parameters per statement.
_CHUNK = 500


def fetch_validators(session: Session, urls: Sequence[str]) -> dict[str, Validators]:
    """Return the stored validators of those ``urls`` that have any, keyed by the URL as given.

    URLs are matched exactly (fetch state is per fetched URL, not per canonical post).
    """
    found: dict[str, Validators] = {}
    unique = list(dict.fromkeys(urls))
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start : start + _CHUNK]
        for row in session.scalars(select(FetchState).where(FetchState.url.in_(chunk))):
            found[row.url] = Validators(
                etag=row.etag,
                last_modified=row.last_modified,
                last_status=row.last_status,
                fetched_at=row.fetched_at,
            )
    return found


def save_fetch_validators(session: Session, items: Mapping[str, Validators]) -> None:
    """Insert or replace the validators of each URL (one upsert per 500 URLs)."""
    now = datetime.now(UTC)
    rows = [
        {
            "url": url,
            "etag": v.etag,
            "last_modified": v.last_modified,
            "last_status": v.last_status,
            "fetched_at": v.fetched_at or now,
        }
        for url, v in items.items()
    ]
    insert = insert_for(session)
    for start in range(0, len(rows), _CHUNK):
        stmt = insert(cast("Table", FetchState.__table__))
        stmt = stmt.on_conflict_do_update(
            index_elements=["url"],
            set_={
                name: stmt.excluded[name]
                for name in ("etag", "last_modified", "last_status", "fetched_at")
            },
        )
        session.execute(stmt, rows[start : start + _CHUNK])


def known_posts(session: Session, blog_url: str) -> dict[str, KnownPost]:
    """Return canonical post URL → :class:`KnownPost` for every live stored post of ``blog_url``.

    Posts marked deleted (``deleted_at``) are left out, so a crawl that lists one again
    fetches it, and storing it revives it.

    ``blog_url`` is any URL of the blog; an unknown blog gives an empty dict.
    """
    query = (
        select(
            Post.url,
            Post.id,
            Post.blogger_post_id,
            Post.updated_at,
            Post.comment_count,
            Post.content_hash,
        )
        .join(Blog, Blog.id == Post.blog_id)
        # A post marked deleted is not known: listed again, it is fetched and so revived.
        .where(Blog.url == blog_home_url(blog_url), Post.deleted_at.is_(None))
    )
    return {
        canonical_url(row.url): KnownPost(
            row_id=row.id,
            post_id=row.blogger_post_id,
            updated_at=row.updated_at,
            comment_count=row.comment_count,
            content_hash=row.content_hash,
        )
        for row in session.execute(query)
    }


def rejected_non_posts(
    session: Session, hosts: Sequence[str], parser_version: str
) -> dict[str, datetime]:
    """Return canonical URL → last rejection time of unresolved ``NOT_A_POST`` rejects on ``hosts``.

    Only rejections by ``parser_version`` count, and none that a later parse turned into a
    post. A recrawl skips such a page while its discovery source shows no change since: the same
    parser would reject the same page again. Failed fetches (404, timeouts, truncated pages)
    are not listed; they are worth another try.
    """
    latest: dict[str, datetime] = {}
    for host in dict.fromkeys(hosts):
        query = select(RejectedPageRow.url, RejectedPageRow.last_rejected_at).where(
            RejectedPageRow.url.like(f"%://{host}/%"),
            RejectedPageRow.kind == RejectKind.NOT_A_POST.value,
            RejectedPageRow.parser_version == parser_version,
            RejectedPageRow.resolved_at.is_(None),
        )
        for url, rejected_at in session.execute(query):
            moment = rejected_at if rejected_at.tzinfo else rejected_at.replace(tzinfo=UTC)
            key = canonical_url(url)
            latest[key] = max(moment, latest.get(key, moment))
    return latest
