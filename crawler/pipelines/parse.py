"""Item pipeline stage: fetched post pages → :class:`~crawler.items.BlogPost` or a reject.

Takes :class:`~crawler.items.FetchedPage` items (the crawl's
:class:`~crawler.crawl_items.CrawledPage` among them), calls the pure parser, and returns a
``BlogPost`` carrying the page as ``raw_page``, or a :class:`~crawler.items.RejectedPage` with
the parser's reason and the bytes. The feed's exact ``updated`` time replaces the page's, so
the next incremental crawl compares the feed with what it stored. Other items pass through.
A crawled page's post is then kept on its blog (:mod:`crawler.pipelines.blog_boundary`).
Counts ``parse/posts``, ``parse/rejected`` and ``parse/canonical_off_blog`` in
``crawler.stats``.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from crawler.crawl_items import CrawledPage
from crawler.items import BlogPost, FetchedPage, RejectedPage, RejectKind
from crawler.parsing import parse_page
from crawler.parsing.errors import NotAPostError, UnreadablePageError
from crawler.pipelines.blog_boundary import confine_to_blog

logger = logging.getLogger(__name__)


def parse_fetched(page: FetchedPage) -> BlogPost | RejectedPage:
    """Parse one fetched page; never raises for bad bytes (they become a ``RejectedPage``)."""
    raw = FetchedPage(
        url=page.url, body=page.body, status=page.status, content_type=page.content_type
    )
    try:
        post = parse_page(page.url, page.body, content_type=page.content_type)
    except NotAPostError as error:
        return raw.rejected(RejectKind.NOT_A_POST, f"not a post: {error.reason}")
    except UnreadablePageError as error:
        return raw.rejected(RejectKind.UNREADABLE, f"unreadable: {error.reason}")
    post.raw_page = raw
    if isinstance(page, CrawledPage):
        if page.feed_updated is not None:
            post.updated = page.feed_updated
        elif post.updated is None and page.sitemap_lastmod is not None:
            post.updated = page.sitemap_lastmod
    return post


class ParsePagePipeline:
    """Parses inline, or in ``PARSE_WORKERS`` worker processes when that setting is above 0.

    Parsing is pure and CPU-bound; worker processes let it use another core while the
    reactor keeps downloading. The pool is shut down when the crawl closes.
    """

    def __init__(self, stats: Any, workers: int = 0) -> None:
        self._stats = stats
        self._pool = ProcessPoolExecutor(max_workers=workers) if workers > 0 else None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ParsePagePipeline:
        return cls(crawler.stats, crawler.settings.getint("PARSE_WORKERS", 0))

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage):
            return item
        if self._pool is None:
            result = parse_fetched(item)
        else:
            loop = asyncio.get_running_loop()
            result = await loop.run_in_executor(self._pool, parse_fetched, item)
        if isinstance(result, BlogPost) and isinstance(item, CrawledPage):
            result = self._confine(result, item)
        self._stats.inc_value("parse/posts" if isinstance(result, BlogPost) else "parse/rejected")
        return result

    def _confine(self, post: BlogPost, page: CrawledPage) -> BlogPost | RejectedPage:
        """Keep the post on its crawled blog (see :mod:`crawler.pipelines.blog_boundary`)."""
        confined = confine_to_blog(post, page)
        if confined.disbelieved is not None:
            self._stats.inc_value("parse/canonical_off_blog")
            logger.warning(
                "%s names %s as its canonical URL, off the blog; stored under the fetched URL",
                page.url,
                confined.disbelieved,
            )
        if isinstance(confined.record, RejectedPage):
            logger.warning("%s rejected: %s", page.url, confined.record.reason)
        return confined.record

    def close_spider(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
