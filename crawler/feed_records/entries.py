"""Post-feed pages (Atom and ``alt=json``) read into :class:`PostEntry` values, one per post.

Pure code over ``(url, bytes)``: no Scrapy, no storage, no network. Where
:mod:`crawler.discovery.feed` reads a feed as an *index* (which posts exist, and paging), this
module keeps what a post record needs: the entry's HTML ``content`` (or its ``summary``), its
author's name, the feed's title and declared language, and the entry's own bytes as a small
self-contained feed (:attr:`PostEntry.raw`) so that the record can be rebuilt later
(``reparse``) from those bytes alone.

Trust nothing fetched: XML goes through the one safe feed parser
(:func:`crawler.discovery.feed.parse_feed_xml`: no entities, no DTD, no network), and a page
never yields more than ``max_entries`` entries; entries past that bound are counted in
:attr:`FeedEntries.dropped`, never silently lost.
"""

from __future__ import annotations

from crawler.discovery.feed import (
    FeedFormatError,
    FeedPage,
    atom_feed_page,
    json_feed_page,
    parse_feed_xml,
    read_feed_json,
)
from crawler.feed_records.atom_entries import atom_entries, read_atom
from crawler.feed_records.entry import MAX_ENTRIES, FeedEntries, PostEntry
from crawler.feed_records.json_entries import json_entries, read_json

__all__ = [
    "MAX_ENTRIES",
    "FeedEntries",
    "PostEntry",
    "read_indexed_entries",
    "read_post_entries",
    "read_raw_entry",
]


def read_post_entries(
    url: str, body: bytes, *, max_entries: int = MAX_ENTRIES, language: str | None = None
) -> FeedEntries:
    """Read the post entries of a feed page (Atom, ``alt=json``, or a one-entry document).

    ``language`` is the blog's declared language when the caller knows it (its pages'
    ``lang``/locale); the feed's own ``xml:lang`` wins over it. Raises
    :class:`~crawler.discovery.feed.FeedFormatError` for bytes that are neither format.
    """
    stripped = body.lstrip()
    if stripped.startswith(b"{"):
        return read_json(url, stripped, max_entries, language)
    if stripped.startswith(b"<"):
        return read_atom(url, body, max_entries, language)
    raise FeedFormatError(f"{url}: not an Atom or JSON feed")


def read_indexed_entries(
    url: str, body: bytes, *, max_entries: int = MAX_ENTRIES, language: str | None = None
) -> tuple[FeedPage, FeedEntries]:
    """Return the page's index and its post entries, from one parse of ``body``.

    The index is what :func:`~crawler.discovery.feed.parse_feed` gives, the entries what
    :func:`read_post_entries` gives. The crawl reads each post-feed page both ways; parsing
    it once halves the XML work.
    Raises :class:`~crawler.discovery.feed.FeedFormatError` when either reader would.
    """
    stripped = body.lstrip()
    if stripped.startswith(b"{"):
        document = read_feed_json(url, stripped)
        page = json_feed_page(url, document)
        return page, json_entries(url, document, max_entries, language)
    if stripped.startswith(b"<"):
        root = parse_feed_xml(url, body)
        page = atom_feed_page(url, root)
        return page, atom_entries(url, root, max_entries, language)
    raise FeedFormatError(f"{url}: not an Atom or JSON feed")


def read_raw_entry(raw: bytes) -> PostEntry:
    """Return the entry that :attr:`PostEntry.raw` holds.

    Raises :class:`~crawler.discovery.feed.FeedFormatError` unless ``raw`` holds exactly one
    entry.
    """
    read = read_post_entries("", raw, max_entries=1)
    if len(read.entries) != 1 or read.dropped:
        raise FeedFormatError("raw entry: expected exactly one feed entry")
    return read.entries[0]
