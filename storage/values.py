"""Plain values storage functions take or return; no ORM object leaks out through these.

A blog's identity (:class:`BlogInfo`), a URL's HTTP cache validators (:class:`Validators`),
a stored post as a recrawl sees it (:class:`KnownPost`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, kw_only=True)
class BlogInfo:
    """What we know about one blog."""

    url: str
    """Any URL of the blog; stored as its canonical home URL ``https://host/``."""

    blog_id: str | None = None
    """Blogger's numeric blog id as digits; ``None`` when the pages did not show it."""

    title: str | None = None
    """The blog's name; ``None`` leaves a stored title as it is."""


@dataclass(frozen=True, kw_only=True)
class Validators:
    """HTTP cache validators of one URL, for a conditional GET (``If-None-Match`` ...)."""

    etag: str | None = None
    """The ``ETag`` response header, verbatim (quotes and ``W/`` included)."""

    last_modified: str | None = None
    """The ``Last-Modified`` response header, verbatim (an HTTP date string)."""

    last_status: int | None = None
    """HTTP status of the last fetch; ``None`` when unknown."""

    fetched_at: datetime | None = None
    """When the URL was last fetched (aware UTC); ``None`` means "now" when saving."""


@dataclass(frozen=True, kw_only=True)
class KnownPost:
    """A stored post as incremental recrawl sees it."""

    row_id: int
    """``posts.id``."""

    post_id: str | None
    """Blogger's post id, ``None`` when not known."""

    updated_at: datetime | None
    """The post's own last-modified time (aware UTC), as last parsed; ``None`` if not shown."""

    comment_count: int | None
    """Last stored comment count; ``None`` when comments are off or unknowable."""

    content_hash: str
    """sha256 hex of the content fields (see ``storage.content.content_hash``)."""
