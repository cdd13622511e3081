"""How a parsed :class:`~crawler.items.BlogPost` becomes a ``posts`` row.

Content (hashed; a change writes a revision): title, body paragraphs, labels, author,
publication time, language. Metadata (updated in place, no revision): comment count, the
post's ``updated`` time, Blogger ids, the raw page. The comment count is deliberately not
content: it changes with every new comment and would otherwise bury real edits under revisions.
"""

from __future__ import annotations

import hashlib
import logging
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from json.encoder import encode_basestring
from typing import Any, overload
from urllib.parse import urlsplit

from crawler.items import BlogPost, PostDefect, PostDefectError, storable_url
from crawler.urls import blog_home_url

PARAGRAPH_SEPARATOR = "\n\n"
_MAX_ID = 32
_MAX_LANGUAGE = 35  # the column's width; real BCP 47 tags are far shorter
_log = logging.getLogger(__name__)
# What json.dumps(ensure_ascii=False) escapes in a string: control characters, '"' and '\\'.
_JSON_ESCAPED = bytes(range(0x20)) + b'"\\'
# zlib level 1: raw pages are written for every post a crawl stores, on the crawl's CPU.
# Measured on 160 KB Blogger-like pages: level 1 compresses 4.0x in 0.8 ms a page, level 6
# 4.9x in 2.3 ms (40% of a crawl's CPU). Any level reads back with zlib.decompress.
_ZLIB_LEVEL = 1


class UnstorablePost(ValueError):
    """A post that cannot become a row; ``reason`` is one line for ``rejected_pages``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class PostRow:
    """A post ready for the upsert: ``values`` has one entry per ``posts`` column but ``id``."""

    blog_url: str
    """Canonical home URL of the post's blog."""
    blog_title: str | None
    """The blog's name as the page showed it."""
    values: dict[str, Any]
    raw_body: bytes | None = None
    """The raw page's bytes while ``values["raw_page"]`` waits for :meth:`compress_raw`
    (``post_row(..., compress_raw=False)``); ``None`` otherwise."""

    @property
    def has_raw_page(self) -> bool:
        """Whether the row carries a raw page (compressed yet or not)."""
        return self.raw_body is not None or self.values["raw_page"] is not None

    def for_write(self, seen_at: datetime, parser_version: str | None) -> PostRow:
        """Return a copy to write, stamped ``seen_at`` and ``parser_version``.

        The copy's ``values`` are its own: the upsert changes them in place (blog, URL and ids
        resolved to the stored row, ``change_seq``), and a prepared row may be written again
        (a batch retried after a database failure).
        """
        values = {
            **self.values,
            "first_seen_at": seen_at,
            "last_seen_at": seen_at,
            "last_changed_at": seen_at,
            "parser_version": parser_version,
        }
        return PostRow(self.blog_url, self.blog_title, values, self.raw_body)

    def compress_raw(self) -> None:
        """Fill ``values["raw_page"]`` from :attr:`raw_body`; does nothing the second time."""
        if self.raw_body is not None and self.values["raw_page"] is None:
            self.values["raw_page"] = compress(self.raw_body)


def content_hash(post: BlogPost) -> str:
    """Return the sha256 hex digest of the post's content fields (see module docstring).

    The digest is of the UTF-8 of ``json.dumps([title, paragraphs, labels, author, published,
    language], ensure_ascii=False, separators=(",", ":"))``, with ``published`` as ISO 8601 in
    UTC. NUL characters, which PostgreSQL cannot store, are left out of text before hashing.
    """
    return _content_hash(
        _text(post.title),
        [_text(p) for p in post.body_paragraphs],
        [_text(label) for label in post.labels],
        _text(post.author),
        post.published,
        post.language,
    )


def _content_hash(
    title: str | None,
    paragraphs: list[str],
    labels: list[str],
    author: str | None,
    published: datetime | None,
    language: str | None,
) -> str:
    """:func:`content_hash` of values already cleaned with :func:`_text`.

    Hashes the very bytes of the ``json.dumps`` call that defines the hash, assembled here
    because that call costs most of building a row (every post a crawl stores is hashed) and
    stored hashes must never change.
    """
    when = published.astimezone(UTC).isoformat() if published else None
    # Fed in three pieces: the paragraphs (most of the bytes) are never copied again.
    digest = hashlib.sha256(b"[" + _json_string(title) + b",")
    _update_json_strings(digest, paragraphs)
    digest.update(
        b","
        + _json_strings(labels)
        + b","
        + _json_string(author)
        + b","
        + _json_string(when)
        + b","
        + _json_string(language)
        + b"]"
    )
    return digest.hexdigest()


def _update_json_strings(digest: Any, values: list[str]) -> None:
    """Feed ``digest`` with :func:`_json_strings` of ``values`` without assembling it."""
    joined = _joined_plain(values)
    if joined is None:
        digest.update(_json_strings(values))
    else:
        digest.update(b'["')
        digest.update(joined)
        digest.update(b'"]')


def _joined_plain(values: list[str]) -> bytes | None:
    """UTF-8 of ``values`` joined by ``","`` when none of them needs JSON escaping, else None.

    A body's paragraphs are checked in one piece: joined so, they need no escaping when the
    only quotes are the separators' and no backslash or control byte occurs.
    """
    if not values:
        return None
    joined = '","'.join(values).encode("utf-8")
    quotes = joined.count(b'"')
    if quotes == 2 * (len(values) - 1) and len(
        joined.translate(None, _JSON_ESCAPED)
    ) + quotes == len(joined):
        return joined
    return None


def _json_strings(values: list[str]) -> bytes:
    """UTF-8 of ``json.dumps(values, ensure_ascii=False, separators=(",", ":"))``."""
    if not values:
        return b"[]"
    joined = _joined_plain(values)
    if joined is not None:
        return b'["' + joined + b'"]'
    return b"[" + b",".join([_json_string(value) for value in values]) + b"]"


def _json_string(value: str | None) -> bytes:
    """UTF-8 of ``json.dumps(value, ensure_ascii=False)``."""
    if value is None:
        return b"null"
    data = value.encode("utf-8")
    # Most text needs no escaping; finding that out on the bytes is far cheaper than json's
    # escaper. (No byte of a multi-byte UTF-8 sequence is below 0x80, so this is exact.)
    if len(data.translate(None, _JSON_ESCAPED)) == len(data):
        return b'"' + data + b'"'
    return encode_basestring(value).encode("utf-8")


def compress(data: bytes) -> bytes:
    """Compress raw page bytes for storage (zlib); :func:`decompress` reverses it."""
    return zlib.compress(data, _ZLIB_LEVEL)


def decompress(data: bytes) -> bytes:
    """Return the original bytes of a value written by :func:`compress`."""
    return zlib.decompress(data)


def post_row(
    post: BlogPost, *, seen_at: datetime, parser_version: str | None, compress_raw: bool = True
) -> PostRow:
    """Build the row for ``post`` seen at ``seen_at``; ``blog_id`` is left for the caller.

    Raises :class:`UnstorablePost` when ``crawler.items.storable_url`` finds a defect (no
    http(s) URL, neither a title nor a non-blank paragraph, a time without a timezone: its
    instant is unknowable), with the reason :func:`unstorable_reason` words. A Blogger id
    that is not 1-32 digits or a language tag over 35 characters is dropped with a warning, so
    that one odd field never fails a whole batch. ``first_seen_at``/``last_changed_at`` are
    ``seen_at`` (the caller keeps stored values for known posts). ``compress_raw=False`` leaves
    ``values["raw_page"]`` ``None`` and the page's bytes in ``raw_body`` for
    :meth:`PostRow.compress_raw`, so that a caller compresses only the pages it writes
    (compressing a page costs more than storing its post).
    """
    try:
        url = storable_url(post)
    except PostDefectError as error:
        raise UnstorablePost(unstorable_reason(post, error)) from None
    title = _text(post.title)
    body = PARAGRAPH_SEPARATOR.join(post.body_paragraphs)
    if "\x00" in body:  # rare: clean each paragraph, and the body again
        paragraphs = [_text(p) for p in post.body_paragraphs]
        body = PARAGRAPH_SEPARATOR.join(paragraphs)
    else:
        paragraphs = list(post.body_paragraphs)
    labels = [_text(label) for label in post.labels]
    author = _text(post.author)
    raw = post.raw_page
    values: dict[str, Any] = {
        "blog_id": None,
        "blogger_blog_id": _checked_id(post.blog_id, "blog id", url),
        "blogger_post_id": _checked_id(post.post_id, "post id", url),
        "url": url,
        "title": title,
        "body": body,
        "body_paragraphs": paragraphs,
        "comment_count": post.comment_count,
        "author": author,
        "published_at": post.published,
        "updated_at": post.updated,
        "labels": labels,
        "language": _checked_language(post.language, url),
        "content_hash": _content_hash(
            title, paragraphs, labels, author, post.published, post.language
        ),
        "first_seen_at": seen_at,
        "last_seen_at": seen_at,
        "last_changed_at": seen_at,
        # A post seen is live; a reparse keeps the stored value (storage.upsert_plan).
        "deleted_at": None,
        "parser_version": parser_version,
        "raw_page": compress(raw.body) if raw is not None and compress_raw else None,
        "raw_source_url": raw.url if raw is not None else None,
        "raw_content_type": raw.content_type if raw is not None else None,
        "raw_status": raw.status if raw is not None else None,
    }
    return PostRow(
        blog_url=_blog_url(post, url),
        blog_title=post.blog_title,
        values=values,
        raw_body=raw.body if raw is not None and not compress_raw else None,
    )


# The times and parser version of a prepared row, replaced when it is written (for_write).
_UNSTAMPED = datetime.min.replace(tzinfo=UTC)


def prepare_post(post: BlogPost) -> PostRow | UnstorablePost:
    """Build ``post``'s row ahead of its write, or return why it cannot be stored.

    For a caller that has time before the write: the crawl's store stage prepares each post
    as it arrives, so that the batch's transaction does not build 200 rows (hashing each body
    costs a third of writing its row on SQLite). The row's times and parser version are
    placeholders, stamped by :meth:`PostRow.for_write`; the raw page stays uncompressed
    (:meth:`PostRow.compress_raw`), for only the rows written need it.
    """
    try:
        return post_row(post, seen_at=_UNSTAMPED, parser_version=None, compress_raw=False)
    except UnstorablePost as unstorable:
        return unstorable


@overload
def _text(value: str) -> str: ...
@overload
def _text(value: None) -> None: ...
def _text(value: str | None) -> str | None:
    # PostgreSQL text cannot hold NUL; dropping it on both databases keeps hashes equal.
    return value.replace("\x00", "") if value and "\x00" in value else value


def _checked_id(value: str | None, what: str, url: str) -> str | None:
    # 1-32 ASCII digits (str.isdigit alone would take other scripts' digits too).
    if value is None or (value.isascii() and value.isdigit() and 0 < len(value) <= _MAX_ID):
        return value
    _log.warning("dropped Blogger %s %r of %s: not 1-32 digits", what, value, url)
    return None


def _checked_language(value: str | None, url: str) -> str | None:
    if value is None or len(value) <= _MAX_LANGUAGE:
        return value
    _log.warning("dropped language tag %r of %s: longer than %d", value, url, _MAX_LANGUAGE)
    return None


def unstorable_reason(post: BlogPost, error: PostDefectError) -> str:
    """Return the ``rejected_pages`` reason of ``post``, which storage refuses for ``error``."""
    if error.defect is PostDefect.NO_URL:
        return "unstorable post: no URL"
    if error.defect is PostDefect.NOT_HTTP:
        return f"unstorable post: not an http(s) URL {post.url!r}"
    if error.defect is PostDefect.NO_TEXT:
        return "unstorable post: neither title nor body"
    return f"unstorable post: {error.detail} has no timezone"


def _blog_url(post: BlogPost, url: str) -> str:
    if post.blog_url:
        try:
            return _home_of(post.blog_url)
        except ValueError:
            pass  # a malformed blog URL must not lose the post; its own URL names the blog
    return f"https://{urlsplit(url).netloc}/"  # ``url`` is canonical already


@lru_cache(maxsize=256)
def _home_of(blog_url: str) -> str:
    # A batch names the same few blogs hundreds of times; parsing each once is enough.
    return blog_home_url(blog_url)
