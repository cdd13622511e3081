"""What one post-feed entry says (:class:`PostEntry`), shared by the Atom and JSON readers.

Pure data and small helpers: no parsing here (see :mod:`crawler.feed_records.entries`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from crawler.urls import joined_url

_FEEDBURNER_HOSTS = ("feedburner.com", "feedproxy.google.com")

MAX_ENTRIES = 500
"""The most entries read from one feed page (Blogger serves at most 150 today; 500 before)."""


def absolute_link(base: str, href: str | None) -> str | None:
    """Return ``href`` resolved against ``base``, the feed page's URL.

    A feed may give relative links. ``None`` or empty stays ``None``; without a base,
    ``href`` as given.
    """
    if not href:
        return None
    return joined_url(base, href) if base else href


ATOM_RAW_TYPE = "application/atom+xml"
JSON_RAW_TYPE = "application/json"


def is_raw_entry_type(content_type: str | None) -> bool:
    """Whether a kept raw page of this content type is a raw feed entry (not an HTML page)."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media in (ATOM_RAW_TYPE, JSON_RAW_TYPE)


@dataclass(frozen=True, kw_only=True)
class PostEntry:
    """One post-feed entry as read: the facts a post record is built from.

    ``None`` means "the entry does not say"; strings are as the feed gives them (uncleaned).
    """

    feed_url: str
    """The URL of the feed page the entry was read from (after redirects)."""
    feed_format: str
    """``atom`` or ``json``."""
    entry_id: str | None
    """The Atom id, ``tag:blogger.com,1999:blog-BLOGID.post-POSTID``."""
    title: str | None
    title_is_html: bool
    """True when the title is ``type='html'`` (escaped markup, not plain text)."""
    content: str | None
    """The entry's ``content`` (HTML); ``None`` when the entry has none."""
    summary: str | None
    """The entry's ``summary`` (plain text of a "Short" feed); ``None`` when absent."""
    alternate_url: str | None
    """The ``rel=alternate type=text/html`` link: the post's permalink."""
    author_name: str | None
    """``author/name`` only; the e-mail (always ``noreply@blogger.com``) is never read."""
    published: str | None
    updated: str | None
    labels: tuple[str, ...]
    """``category`` terms of the Blogger label scheme, in feed order."""
    thr_total: str | None
    """``thr:total`` as written (comment count); ``None`` when comments are off."""
    blog_title: str | None
    """The feed's own ``title``: the blog's name."""
    language: str | None
    """``xml:lang`` of the entry or the feed (Blogger rarely writes one), else ``None``."""
    via_feedburner: bool
    """The feed was re-served by FeedBurner (its namespace, or a FeedBurner host)."""
    kind: str
    """``post``, or ``comment`` (``thr:in-reply-to``, or the GData kind ``#comment``: an entry
    of a comments feed) or ``page`` (kind ``#page``: a static page)."""
    raw: bytes
    """A one-entry feed in the same format holding this entry and the feed-level facts above:
    :func:`read_raw_entry` of it gives this entry back (``feed_url`` included)."""

    @property
    def raw_content_type(self) -> str:
        """The media type of :attr:`raw`."""
        return JSON_RAW_TYPE if self.feed_format == "json" else ATOM_RAW_TYPE


@dataclass(frozen=True, kw_only=True)
class FeedEntries:
    """The post entries of one feed page."""

    url: str
    entries: tuple[PostEntry, ...]
    dropped: int = 0
    """Entries past ``max_entries`` that were not read (a limit hit, to be reported)."""


def entry_kind(replies_to: bool, kind_terms: list[str]) -> str:
    """Return ``comment`` for a reply or a comment kind, ``page`` for a page kind, else ``post``."""
    kinds = {term.rsplit("#", 1)[-1] for term in kind_terms}
    if replies_to or "comment" in kinds:
        return "comment"
    return "page" if "page" in kinds else "post"


def feedburner_host(url: str) -> bool:
    """Whether ``url`` is on a FeedBurner host (a feed redirected or re-served there)."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == name or host.endswith("." + name) for name in _FEEDBURNER_HOSTS)


def feed_time(text: str | None) -> datetime | None:
    """Return a feed's ISO 8601 time (``Z`` or an offset); ``None``: absent, unreadable, naive."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.utcoffset() is not None else None
