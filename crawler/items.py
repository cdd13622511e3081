"""The records that flow from parsing through cleaning into storage.

These are plain dataclasses so that parsing, cleaning and storage can share them without
importing Scrapy; Scrapy accepts dataclass items through itemadapter. No item carries a
``Response`` or a ``Selector``. Only :class:`RejectedPage` carries bytes, because a page we
could not parse must be kept for a later re-parse.

Whether a post can be stored at all is decided here, once, by :func:`post_defect` (with
:func:`has_text`, which the parser also asks of what it found); the validate stage and
storage each report its answer in their own words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from enum import StrEnum
from typing import Any

from crawler.urls import public_url

RECORD_NAMES = {
    "published": "published_at",
    "updated": "updated_at",
    "blog_id": "blogger_blog_id",
    "post_id": "blogger_post_id",
}
"""Field → name in the consumer vocabulary (the ``posts`` columns), where the two differ."""


@dataclass(kw_only=True)
class BlogComment:
    """One comment as the post page shows it (see :mod:`crawler.parsing.comment_thread`).

    ``None`` means "the page does not show it". A deleted comment has no text at all: the
    "This comment has been removed by ..." notice is a state, never paragraphs.
    """

    id: str | None = None
    """Blogger's numeric comment id (from ``id="c..."``, ``#c...`` anchors, ``showComment=``)."""

    parent: str | None = None
    """Id of the comment this one replies to (threaded comments); ``None`` at top level."""

    author: str | None = None
    """The commenter's display name as published (``Anonymous`` included); never an e-mail."""

    author_url: str | None = None
    """The commenter's profile or home page link as published; never a ``mailto:``/e-mail."""

    published: datetime | None = None
    """When the comment was written, in UTC."""

    updated: datetime | None = None
    """When the comment was last edited (the comments feed's ``updated``); ``None`` on pages."""

    paragraphs: list[str] = field(default_factory=list)
    """The comment's text, one string per paragraph; empty for a deleted comment."""

    deleted: bool = False
    """Removed by its author or a blog administrator: Blogger shows only a notice."""

    def to_json_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict, ``published`` as an ISO 8601 string."""
        data = asdict(self)
        for key in ("published", "updated"):
            value = data[key]
            data[key] = value.isoformat() if value is not None else None
        return data

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> BlogComment:
        """Return the comment :meth:`to_json_dict` gave ``data`` for."""
        fields = dict(data)
        for key in ("published", "updated"):
            value = fields.get(key)
            fields[key] = datetime.fromisoformat(value) if value is not None else None
        return cls(**fields)


COMMENT_SOURCES = ("feed", "page")
"""Where a comment listing comes from: a comments feed, or the post page's own thread."""


@dataclass(kw_only=True)
class PostComments:
    """Comments of one post, with what identifies the post: what the comments table takes.

    The post is found by Blogger's (blog id, post id) when both are given, else by its URL.
    """

    post_url: str | None
    """Any URL of the post (canonicalised when stored); also routes the record to its run."""

    blog_id: str | None = None
    """Blogger's blog id of the post, as digits."""

    post_id: str | None = None
    """Blogger's post id, as digits."""

    comments: list[BlogComment] = field(default_factory=list)
    """The comments, in listing order."""

    source: str = "feed"
    """One of :data:`COMMENT_SOURCES`; values from a feed are never replaced by a page's."""

    complete: bool = False
    """Whether the listing is the post's whole thread: a stored comment of the post that is
    not in it was deleted (marked so, never removed)."""

    source_url: str | None = None
    """The comments-feed page the listing was read from (routes it to its blog's run; only
    posts of that blog take its comments). ``None`` for a post's own page thread."""

    listed_ids: list[str] = field(default_factory=list)
    """More Blogger comment ids of the thread, sent with earlier listings: with ``complete``,
    the thread is ``comments`` and these (a whole blog-wide feed read ends with one such
    listing per post, so that its comments need not be held until the end)."""

    def to_json_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (comments as :meth:`BlogComment.to_json_dict`)."""
        data = asdict(self)
        data["comments"] = [comment.to_json_dict() for comment in self.comments]
        return data

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> PostComments:
        """Return the listing :meth:`to_json_dict` gave ``data`` for."""
        fields = dict(data)
        fields["comments"] = [BlogComment.from_json_dict(c) for c in fields.get("comments", [])]
        return cls(**fields)


@dataclass(kw_only=True)
class BlogPost:
    """One Blogger post, as parsed from its page (and later cleaned).

    ``None`` always means "the page does not show it", never "empty".
    """

    url: str
    """Canonical post URL (``crawler.urls.public_url``): ``blogspot.com`` host, no
    ``m``/``showComment``/tracking parameters, no fragment; https on blogspot, the blog's own
    scheme on a custom domain."""

    title: str | None = None
    """The post's own heading (not the ``<title>`` element with the blog name)."""

    body_paragraphs: list[str] = field(default_factory=list)
    """Body text as a reader sees it, one string per paragraph, in order."""

    comment_count: int | None = None
    """Comments Blogger shows for the post; ``None`` when comments are off, handled outside
    Blogger (Disqus, Google+, HaloScan), or not knowable from the page."""

    blog_id: str | None = None
    """Blogger's numeric blog id, as a string of digits."""

    post_id: str | None = None
    """Blogger's numeric post id, as a string of digits."""

    author: str | None = None
    """Display name of the post's author."""

    published: datetime | None = None
    """Publication time, timezone-aware."""

    updated: datetime | None = None
    """Last modification time, timezone-aware."""

    labels: list[str] = field(default_factory=list)
    """Blogger labels (tags), in page order, without duplicates."""

    language: str | None = None
    """BCP 47 language tag as the page declares it (``de``, ``en-US``), if it does."""

    blog_url: str | None = None
    """Canonical home URL of the blog (``https://host/``)."""

    blog_title: str | None = None
    """The blog's name, as the page shows it."""

    source_url: str | None = None
    """The URL the bytes were fetched from (or a file path), before canonicalisation."""

    extractor: str | None = None
    """Which evidence produced the body (``blogger-layouts``, ``blogger-2017``, ``jsonld``,
    ``text-capture`` ...): diagnostics, not part of the consumer contract."""

    comments: list[BlogComment] = field(default_factory=list)
    """The comments the page shows, in page order (a reply follows its parent). Parsed from
    the page's own thread; stored in ``comments`` with the post (the comments feed, when
    read, supplies the rest and wins where both give a comment)."""

    comments_partial: bool = False
    """Whether the page holds only part of the thread: Blogger's "Load more" is live, comment
    page links follow, or the thread is longer than the parser's bound. The comments feed
    holds the rest."""

    raw_page: FetchedPage | None = field(default=None, repr=False, compare=False)
    """The fetched page this record was parsed from, when the crawl keeps raw pages for a later
    re-parse. Never serialised by :meth:`to_json_dict`; ignored by equality."""

    def to_json_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict: datetimes as ISO 8601 strings, no raw page bytes.

        The fields in their declared order, lists copied (the dict shares nothing mutable
        with the post), as ``dataclasses.asdict`` would give them; built field by field
        because every stored post is turned into one and ``asdict`` deep-copies the raw page
        only for it to be dropped.
        """
        data: dict[str, Any] = {}
        for name in _POST_JSON_FIELDS:
            value = getattr(self, name)
            data[name] = list(value) if isinstance(value, list) else value
        for key in ("published", "updated"):
            value = data[key]
            data[key] = value.isoformat() if value is not None else None
        data["comments"] = [comment.to_json_dict() for comment in self.comments]
        return data

    def to_record(self) -> dict[str, Any]:
        """Return the record consumers see (``blogingest parse``): the database's names.

        :meth:`to_json_dict` with :data:`RECORD_NAMES` applied: ``published_at``,
        ``updated_at``, ``blogger_blog_id``, ``blogger_post_id``, as in ``posts`` and
        ``blogingest export`` (where ``blog_id`` is the integer key of ``blogs``). Times keep
        the page's own offset here; the database stores them in UTC.
        """
        return {RECORD_NAMES.get(key, key): value for key, value in self.to_json_dict().items()}

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> BlogPost:
        """Return the post :meth:`to_json_dict` gave ``data`` for (without its raw page).

        Raises ``KeyError``/``TypeError``/``ValueError`` for data that is not such a dict.
        """
        fields = dict(data)
        for key in ("published", "updated"):
            value = fields.get(key)
            fields[key] = datetime.fromisoformat(value) if value is not None else None
        fields["comments"] = [BlogComment.from_json_dict(c) for c in fields.get("comments", [])]
        return cls(**fields)


_POST_JSON_FIELDS = tuple(f.name for f in fields(BlogPost) if f.name != "raw_page")
"""The fields :meth:`BlogPost.to_json_dict` gives, in declared order."""


@dataclass(kw_only=True)
class FetchedPage:
    """A page as fetched, before parsing: what the spider hands to the parse stage."""

    url: str
    """The URL the bytes came from (after redirects)."""

    body: bytes
    """The raw response body."""

    status: int = 200
    """HTTP status of the response."""

    content_type: str | None = None
    """The response's Content-Type header, which may carry the charset."""

    def rejected(self, kind: RejectKind, reason: str) -> RejectedPage:
        """Return this page as a :class:`RejectedPage` kept with its bytes (see its ``of``)."""
        return RejectedPage.of(kind, reason, url=self.url, page=self)


class RejectKind(StrEnum):
    """Why, in one word, a fetched page did not become a post (``rejected_pages.kind``).

    The reason says the rest in one line. A recrawl skips a page whose last rejection was
    :attr:`NOT_A_POST` by the same parser (the page would be rejected again); every other kind
    is worth another fetch.
    """

    FETCH_FAILED = "fetch_failed"
    """Nothing usable arrived: an HTTP error, a timeout, a truncated or oversized response."""

    NOT_A_POST = "not_a_post"
    """The parser read the page and found no post in it (a listing, an error page ...)."""

    UNREADABLE = "unreadable"
    """The parser could not read the bytes as a page at all (not HTML, undecodable ...)."""

    INVALID = "invalid"
    """A parsed and cleaned post without what a consumer needs (see ``post_defect``)."""

    UNSTORABLE = "unstorable"
    """A post handed to storage that cannot become a row (see ``post_defect``)."""

    OFF_BLOG = "off_blog"
    """Another blog's page, or a post whose Blogger ids the database holds for another blog."""


@dataclass(kw_only=True)
class RejectedPage:
    """A fetched page that did not become a post, kept with its bytes for a later re-parse."""

    url: str
    """The URL the page was fetched from."""

    reason: str
    """One line saying why it was rejected (``not a post: archive listing``, ``HTTP 404`` ...)."""

    kind: RejectKind
    """What sort of rejection ``reason`` is; queries use this, never the reason's wording."""

    body: bytes = field(default=b"", repr=False)
    """The raw bytes as fetched; empty when nothing was received (not in ``repr``: log lines
    that show the item stay one line)."""

    status: int | None = None
    """HTTP status, when the page came over HTTP."""

    content_type: str | None = None
    """The response's Content-Type header, which may carry the charset."""

    @classmethod
    def of(
        cls,
        kind: RejectKind,
        reason: str,
        *,
        url: str,
        page: FetchedPage | None = None,
    ) -> RejectedPage:
        """Build a reject (the one way to): ``kind``, ``reason``, and ``page``'s bytes, if any.

        ``url`` is where the reject is filed (a post's own URL, a redirect chain's first URL);
        ``page``, when given, is what was fetched: its body, status and Content-Type are kept.
        Without it the reject has no bytes and no status.
        """
        if page is None:
            return cls(url=url, reason=reason, kind=kind)
        return cls(
            url=url,
            reason=reason,
            kind=kind,
            body=page.body,
            status=page.status,
            content_type=page.content_type,
        )


class PostDefect(StrEnum):
    """What keeps a post from being stored as a post (the answer of :func:`post_defect`)."""

    NO_URL = "no_url"
    """The post has no URL at all (blank)."""

    NOT_HTTP = "not_http"
    """Its URL is not an http(s) URL with a host (``crawler.urls.public_url`` refuses it)."""

    NO_TEXT = "no_text"
    """Neither a title nor any body text (see :func:`has_text`)."""

    NAIVE_TIME = "naive_time"
    """Its ``published`` or ``updated`` time has no timezone: the instant is unknowable."""


def has_text(title: str | None, paragraphs: Sequence[str]) -> bool:
    """Whether a post shows a title or some body text; without either it is nothing to keep.

    Whitespace and NUL characters (which storage drops) are not text. A title over an
    image-only body, or body text without a title, has text.
    """
    if title and title.replace("\x00", "").strip():
        return True
    return any(p.replace("\x00", "").strip() for p in paragraphs)


class PostDefectError(ValueError):
    """A post that cannot be stored as a post (:func:`storable_url`).

    ``defect`` says why; ``detail`` names what is wrong, for a reason to quote: the time
    (``published time 2024-01-05T10:00:00``) for :attr:`PostDefect.NAIVE_TIME`, else ``""``.
    """

    def __init__(self, defect: PostDefect, detail: str = "") -> None:
        super().__init__(f"{defect.value}: {detail}" if detail else defect.value)
        self.defect = defect
        self.detail = detail


def storable_url(post: BlogPost) -> str:
    """Return ``post``'s URL as stored (``crawler.urls.public_url``) when it can be stored.

    The one decision whether a post can be stored: the crawl's validate stage rejects a post
    with a defect before it is stored (:func:`post_defect`), and storage refuses one it is
    handed directly (a re-parse, a spool file, a caller of ``upsert_posts``). Checked in this
    order: a URL, an http(s) URL, text (:func:`has_text`), aware times
    (:func:`naive_time`). Raises :class:`PostDefectError` naming the first defect found.
    """
    if not post.url or not post.url.strip():
        raise PostDefectError(PostDefect.NO_URL)
    try:
        url = public_url(post.url)
    except ValueError:
        raise PostDefectError(PostDefect.NOT_HTTP) from None
    if not has_text(post.title, post.body_paragraphs):
        raise PostDefectError(PostDefect.NO_TEXT)
    naive = naive_time(post)
    if naive is not None:
        name, moment = naive
        raise PostDefectError(PostDefect.NAIVE_TIME, f"{name} time {moment.isoformat()}")
    return url


def post_defect(post: BlogPost) -> PostDefectError | None:
    """Return what keeps ``post`` from being stored (:func:`storable_url`); ``None``: nothing."""
    try:
        storable_url(post)
    except PostDefectError as error:
        return error
    return None


def naive_time(post: BlogPost) -> tuple[str, datetime] | None:
    """Return the first of ``published``/``updated`` that has no timezone, with its name."""
    for name, moment in (("published", post.published), ("updated", post.updated)):
        if moment is not None and moment.utcoffset() is None:
            return name, moment
    return None


@dataclass(kw_only=True)
class PostGone:
    """A stored post its blog no longer has; storage marks it deleted.

    A complete feed listing left it out and its page answered 404/410
    (:mod:`crawler.feed_records.listing`).
    """

    url: str
    """The post's URL (any variant of the stored one)."""

    blog_url: str
    """Canonical home URL of the blog the post belongs to: only that blog's post is marked."""

    status: int
    """The status the post's page answered (404 or 410)."""

    checked_at: datetime
    """When the page answered (aware UTC): the post's ``deleted_at``."""
