"""Post records built from Blogger post-feed entries (feed-first harvest), pure code.

* :func:`read_post_entries` - a feed page's bytes to :class:`PostEntry` values (bounded);
  :func:`read_indexed_entries` - the same and the page's index, from one parse.
* :func:`entry_verdict` - can the entry give the post? A reason when not.
* :func:`judge_entry` - the same verdict with the entry's content parsed once
  (:class:`ParsedEntry`), handed on to :func:`parse_entry` so it is not parsed again.
* :func:`parse_entry` - the entry's record before cleaning (the crawl cleans it as a page's).
* :func:`record_from_entry` - the cleaned :class:`~crawler.items.BlogPost` the page would give.
* :func:`record_from_raw_entry` - the same record from the entry's kept raw bytes (reparse).
* :func:`record_differences` - the fields where a feed-built and a page record disagree.

No Scrapy, no storage. See docs/feeds.md for what only the page can give.
"""

from __future__ import annotations

from crawler.feed_records.agreement import COMPARED_FIELDS, record_differences
from crawler.feed_records.entries import (
    FeedEntries,
    PostEntry,
    read_indexed_entries,
    read_post_entries,
    read_raw_entry,
)
from crawler.feed_records.entry import is_raw_entry_type
from crawler.feed_records.records import (
    EntryUnusableError,
    build_record,
    parse_entry,
    record_from_entry,
    record_from_raw_entry,
)
from crawler.feed_records.verdict import (
    REASONS,
    EntryVerdict,
    ParsedEntry,
    entry_verdict,
    judge_entry,
)

__all__ = [
    "COMPARED_FIELDS",
    "REASONS",
    "EntryUnusableError",
    "EntryVerdict",
    "FeedEntries",
    "ParsedEntry",
    "PostEntry",
    "build_record",
    "entry_verdict",
    "is_raw_entry_type",
    "judge_entry",
    "parse_entry",
    "read_indexed_entries",
    "read_post_entries",
    "read_raw_entry",
    "record_differences",
    "record_from_entry",
    "record_from_raw_entry",
]
