"""Idempotent batched writes of posts, blogs and rejected pages.

Every function takes a session and **never commits**: the caller owns the transaction
(``with factory.begin() as session: upsert_posts(session, posts)``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import StrEnum

from sqlalchemy.orm import Session

from crawler.items import BlogPost, RejectedPage
from storage.records import BlogInfo

BATCH_SIZE = 500


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
) -> list[Outcome]:
    """Store ``posts`` and return one :class:`Outcome` per input post, in input order.

    Identity is the Blogger (blog id, post id) pair where known, else the canonical URL
    (``crawler.urls.canonical_url``), so every URL variant of a post lands in one row, and a
    post first stored by URL and later seen with ids stays one row.
    ``INSERTED``: a new row. ``UPDATED``: the content hash changed (the previous content is kept
    in ``post_revisions``) or only metadata changed in place (comment count, ``updated_at``,
    ids; no revision). ``UNCHANGED``: nothing differs; only ``last_seen_at`` moves.
    ``REJECTED``: no usable URL, or neither title nor body; the post goes to
    ``rejected_pages`` with its reason and raw bytes, never an exception.
    Duplicates in one call: the last occurrence wins and carries the outcome; earlier ones
    are reported ``UNCHANGED``. ``seen_at`` (aware; ``None`` = now) stamps the rows.
    ``post.raw_page``, when set, is kept zlib-compressed for later re-parse; ``None`` keeps a
    stored raw page. ``parser_version`` is recorded on written rows. Writes in batches of
    :data:`BATCH_SIZE` with the dialect's ``INSERT ... ON CONFLICT``.
    """
    raise NotImplementedError


def refresh_comment_counts(session: Session, counts: Mapping[str, int | None]) -> int:
    """Set ``comment_count`` of stored posts in place (no revision); return rows changed.

    ``counts`` maps a post URL (any variant; canonicalised here) to its comment count from the
    feed's ``thr:total``, for posts whose page was not refetched. Unknown URLs are ignored;
    rows whose count already equals the new value are not counted.
    """
    raise NotImplementedError


def store_rejected(
    session: Session,
    pages: Sequence[RejectedPage],
    *,
    parser_version: str,
    run_id: int | None = None,
) -> int:
    """Append ``pages`` to ``rejected_pages`` with their bytes zlib-compressed; return the count.

    Every call appends (a history of rejections; the same URL may appear many times).
    """
    raise NotImplementedError


def upsert_blogs(session: Session, blogs: Sequence[BlogInfo]) -> None:
    """Insert or update blogs keyed by canonical home URL (``https://host/``).

    A known Blogger blog id or title is filled in; ``None`` never erases a stored value.
    ``last_seen_at`` moves to now.
    """
    raise NotImplementedError
