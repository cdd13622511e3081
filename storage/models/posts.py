"""Blogs, posts and the revisions that keep a post's previous content."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column

from storage.models.base import Base


class Blog(Base):
    __tablename__ = "blogs"

    id: Mapped[int] = mapped_column(primary_key=True)
    blogger_blog_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]


class Post(Base):
    __tablename__ = "posts"
    __table_args__ = (UniqueConstraint("blogger_blog_id", "blogger_post_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    blog_id: Mapped[int] = mapped_column(ForeignKey("blogs.id", ondelete="CASCADE"), index=True)
    blogger_blog_id: Mapped[str | None] = mapped_column(String(32))
    blogger_post_id: Mapped[str | None] = mapped_column(String(32), index=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    body_paragraphs: Mapped[list[str]]
    comment_count: Mapped[int | None]
    author: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    updated_at: Mapped[datetime | None]
    labels: Mapped[list[str]]
    language: Mapped[str | None] = mapped_column(String(35))
    content_hash: Mapped[str] = mapped_column(String(64))
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    last_changed_at: Mapped[datetime] = mapped_column(index=True)
    change_seq: Mapped[int] = mapped_column(BigInteger, index=True)
    """Position in the one change sequence (:mod:`storage.change_seq`): the consumers' cursor."""
    deleted_at: Mapped[datetime | None]
    """When the crawl found the post gone from its blog (:mod:`storage.deletions`); ``None``
    while it is live. A deleted post keeps its row; it comes back to life if it reappears."""
    parser_version: Mapped[str | None] = mapped_column(String(64))
    # The fetched page, zlib-compressed, for re-parsing with a newer parser; deferred so that
    # reading posts never loads it by accident.
    raw_page: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    raw_source_url: Mapped[str | None] = mapped_column(Text)
    raw_content_type: Mapped[str | None] = mapped_column(Text)
    raw_status: Mapped[int | None]


class PostRevision(Base):
    """A post's content as it was before a change replaced it: every field the hash covers."""

    __tablename__ = "post_revisions"
    __table_args__ = (Index(None, "post_id", "replaced_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    title: Mapped[str | None] = mapped_column(Text)
    body_paragraphs: Mapped[list[str]]
    labels: Mapped[list[str]]
    author: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None]
    language: Mapped[str | None] = mapped_column(String(35))
    comment_count: Mapped[int | None]
    updated_at: Mapped[datetime | None]
    content_hash: Mapped[str] = mapped_column(String(64))
    parser_version: Mapped[str | None] = mapped_column(String(64))
    replaced_at: Mapped[datetime]


class ChangeCounter(Base):
    """The one row holding the last value handed out of the change sequence.

    See :mod:`storage.change_seq`: its row lock is what makes ``posts.change_seq`` follow
    commit order.
    """

    __tablename__ = "change_counter"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(BigInteger)
