"""Item pipeline stage: a post without what a consumer needs becomes a reject, never a row.

A :class:`~crawler.items.BlogPost` needs a canonical http(s) URL, a title or body text
after cleaning, and times with a timezone: what storage needs, decided by the same function
(``crawler.items.storable_url``). One that lacks them becomes a
:class:`~crawler.items.RejectedPage` of kind ``invalid``, with a one-line reason and the raw
bytes (stored with the rejects, so nothing is silently dropped). Counts ``validate/rejected``
in ``crawler.stats``. Other items pass through.
"""

from __future__ import annotations

from typing import Any

from crawler.items import BlogPost, PostDefect, RejectedPage, RejectKind, post_defect


def invalid_reason(post: BlogPost) -> str | None:
    """Why ``post`` cannot be stored as a post (``crawler.items.post_defect``), or ``None``."""
    error = post_defect(post)
    if error is None:
        return None
    if error.defect in (PostDefect.NO_URL, PostDefect.NOT_HTTP):
        return f"invalid post: URL {post.url!r} is not http(s)"
    if error.defect is PostDefect.NO_TEXT:
        return "invalid post: neither title nor body text"
    return f"invalid post: {error.detail} has no timezone"


class ValidatePostPipeline:
    def __init__(self, stats: Any) -> None:
        self._stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> ValidatePostPipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, BlogPost):
            return item
        reason = invalid_reason(item)
        if reason is None:
            return item
        self._stats.inc_value("validate/rejected")
        raw = item.raw_page
        return RejectedPage.of(
            RejectKind.INVALID, reason, url=raw.url if raw else item.url, page=raw
        )
