"""Item pipeline stage: fetched post pages → :class:`~crawler.items.BlogPost` or a reject.

Takes :class:`~crawler.items.FetchedPage` items (the crawl's
:class:`~crawler.crawl_records.CrawledPage` among them), calls the pure parser, and returns a
``BlogPost`` carrying the page as ``raw_page``, or a :class:`~crawler.items.RejectedPage` with
the parser's reason and the bytes. The feed's exact ``updated`` time replaces the page's, so
the next incremental crawl compares the feed with what it stored. Other items pass through.
Counts ``parse/posts`` and ``parse/rejected`` in ``crawler.stats``.
"""

from __future__ import annotations

from typing import Any

from crawler.crawl_records import CrawledPage
from crawler.items import BlogPost, FetchedPage, RejectedPage
from crawler.parsing import parse_page
from crawler.parsing.errors import NotAPostError, UnreadablePageError


def parse_fetched(page: FetchedPage) -> BlogPost | RejectedPage:
    """Parse one fetched page; never raises for bad bytes (they become a ``RejectedPage``)."""
    raw = FetchedPage(
        url=page.url, body=page.body, status=page.status, content_type=page.content_type
    )
    try:
        post = parse_page(page.url, page.body, content_type=page.content_type)
    except NotAPostError as error:
        return _rejected(raw, f"not a post: {error.reason}")
    except UnreadablePageError as error:
        return _rejected(raw, f"unreadable: {error.reason}")
    post.raw_page = raw
    if isinstance(page, CrawledPage):
        if page.feed_updated is not None:
            post.updated = page.feed_updated
        elif post.updated is None and page.sitemap_lastmod is not None:
            post.updated = page.sitemap_lastmod
    return post


def _rejected(raw: FetchedPage, reason: str) -> RejectedPage:
    return RejectedPage(
        url=raw.url,
        reason=reason,
        body=raw.body,
        status=raw.status,
        content_type=raw.content_type,
    )


class ParsePagePipeline:
    def __init__(self, stats: Any) -> None:
        self._stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> ParsePagePipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage):
            return item
        result = parse_fetched(item)
        self._stats.inc_value("parse/posts" if isinstance(result, BlogPost) else "parse/rejected")
        return result
