"""Do a feed-built record and its page's record agree? The fields where they do not.

Used by the proof tests, the benchmark and (later) the crawl's verification sample. The
rules say where the feed knows *more* than the page, which is not a disagreement:

* ``published``/``updated``: the feed gives the exact time (milliseconds); a page shows what
  its template prints (often to the minute, sometimes only a date) and many templates show
  no ``updated`` at all. The two agree when the page's time is the feed's time cut to the
  page's precision, or the page shows none.
* ``blog_title``: some templates show no blog name the parser can read; the feed title is
  the blog's name. They agree when the page shows none.
* ``language``: Blogger's feeds declare none; the feed record carries the blog's language
  the caller knew (or ``None``). They agree when either side is ``None``.

``source_url``, ``extractor`` and ``raw_page`` say where a record came from and are never
compared. Every other field must be equal.
"""

from __future__ import annotations

from datetime import datetime

from crawler.items import BlogPost

COMPARED_FIELDS = (
    "url",
    "title",
    "body_paragraphs",
    "comment_count",
    "blog_id",
    "post_id",
    "author",
    "published",
    "updated",
    "labels",
    "language",
    "blog_url",
    "blog_title",
)
"""The record fields a feed-built record is held to, in record order."""

_OPTIONAL_ON_PAGE = frozenset({"updated", "blog_title"})
_OPTIONAL_EITHER = frozenset({"language"})
_TIMES = frozenset({"published", "updated"})


def record_differences(feed: BlogPost, page: BlogPost) -> tuple[str, ...]:
    """Return the names of the fields in which ``feed`` and ``page`` disagree (rules above)."""
    return tuple(name for name in COMPARED_FIELDS if not _agree(name, feed, page))


def _agree(name: str, feed: BlogPost, page: BlogPost) -> bool:
    ours, theirs = getattr(feed, name), getattr(page, name)
    if ours == theirs:
        return True
    if name in _OPTIONAL_ON_PAGE and theirs is None:
        return True
    if name in _OPTIONAL_EITHER and (ours is None or theirs is None):
        return True
    if name in _TIMES and isinstance(ours, datetime) and isinstance(theirs, datetime):
        return times_agree(ours, theirs)
    return False


def times_agree(exact: datetime, shown: datetime) -> bool:
    """Return True when ``shown`` is ``exact`` cut to the precision ``shown`` has.

    The precision is read off ``shown``: no microseconds → seconds, no seconds → minutes,
    midnight → a day (compared in ``shown``'s own offset, as the page printed it).
    """
    local = exact.astimezone(shown.tzinfo)
    if shown.microsecond:
        return local == shown
    if shown.second:
        return local.replace(microsecond=0) == shown
    if shown.minute or shown.hour:
        return local.replace(second=0, microsecond=0) == shown
    return local.date() == shown.date()
