"""Comments: every comment of a stored post, threaded, with its author and times."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class Comment(Base):
    """One comment on one post, as the comments feed or the post page shows it.

    A comment is never removed: one Blogger shows as "removed by the author / a blog
    administrator" has ``deletion = 'notice'`` and no paragraphs; one that vanished from a
    complete listing of its post's thread keeps its last text and has ``deletion = 'missing'``.
    """

    __tablename__ = "comments"
    __table_args__ = (UniqueConstraint("post_id", "blogger_comment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    blogger_comment_id: Mapped[str] = mapped_column(String(32), index=True)
    parent_blogger_comment_id: Mapped[str | None] = mapped_column(String(32))
    """Blogger's id of the comment this one replies to; ``None`` at top level."""
    author: Mapped[str | None] = mapped_column(Text)
    author_url: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None]
    updated_at: Mapped[datetime | None]
    paragraphs: Mapped[list[str]]
    deleted_at: Mapped[datetime | None]
    """When a crawl first saw the comment deleted; ``None`` while it is live."""
    deletion: Mapped[str | None] = mapped_column(String(16))
    """``notice`` (Blogger shows a removal notice) or ``missing`` (gone from the listing)."""
    source: Mapped[str] = mapped_column(String(8))
    """``feed`` or ``page``: where the stored values came from (the feed's win)."""
    content_hash: Mapped[str] = mapped_column(String(64))
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    change_seq: Mapped[int] = mapped_column(BigInteger, index=True)
    """Position in the one change sequence shared with ``posts`` (:mod:`storage.change_seq`)."""
