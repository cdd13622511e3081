"""The record a page yields: parse it, then clean it.

This is the one composition of :func:`crawler.parsing.parse_page` and
:func:`crawler.cleaning.clean_post` outside Scrapy, used by ``blogingest parse``,
``blogingest reparse``, the benchmarks and the seed tests. (The crawl runs the same two steps
as separate pipeline stages, so that each counts its own outcomes.)

A kept raw page may also be a raw post-feed entry (a feed-built post, docs/feeds.md):
:func:`record_from_kept` tells the two apart by content type.
"""

from __future__ import annotations

from crawler.cleaning import clean_post
from crawler.discovery.feed import FeedFormatError
from crawler.feed_records import EntryUnusableError, is_raw_entry_type, record_from_raw_entry
from crawler.items import BlogPost, FetchedPage
from crawler.parsing import NotAPostError, UnreadablePageError, parse_page

KEPT_PAGE_REJECTIONS: tuple[type[Exception], ...] = (
    NotAPostError,
    UnreadablePageError,
    FeedFormatError,
    EntryUnusableError,
)
"""What :func:`record_from_kept` raises for bytes that give no post (a reject, not a bug)."""


def parse_and_clean(url: str, body: bytes, *, content_type: str | None = None) -> BlogPost:
    """Return ``clean_post(parse_page(url, body, content_type=...))``.

    Raises what :func:`crawler.parsing.parse_page` raises (``NotAPostError``,
    ``UnreadablePageError``).
    """
    return clean_post(parse_page(url, body, content_type=content_type))


def record_from_kept(page: FetchedPage) -> BlogPost:
    """Return the cleaned record of a kept raw page: a post page, or a raw feed entry.

    A raw entry (content type ``application/atom+xml`` or ``application/json``) is rebuilt
    with :func:`crawler.feed_records.record_from_raw_entry`; anything else is a page for
    :func:`parse_and_clean`. Raises one of :data:`KEPT_PAGE_REJECTIONS` for no post.
    """
    if is_raw_entry_type(page.content_type):
        return record_from_raw_entry(page.body)
    return parse_and_clean(page.url, page.body, content_type=page.content_type)
