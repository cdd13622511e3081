"""Last item stage: the crawl's items become the post records Scrapy's feed exports write.

``scrapy crawl seeds -O posts.jsonl`` (and ``-o``, ``FEEDS``, in every Scrapy format: json,
jsonlines/jsonl, csv, xml, pickle, marshal) must give exactly the record ``blogingest parse``
prints. The stages before need more than that record: the store stage writes the raw page
kept on :attr:`BlogPost.raw_page` and the rejected pages with their bytes. So, after storage,
each :class:`~crawler.items.BlogPost` leaves the pipeline as
:meth:`~crawler.items.BlogPost.to_record` (plain JSON values, no bytes, ISO times), and
the records that are not posts (rejected pages, comment-count refreshes, comments-feed
listings: stored, not posts)
are dropped quietly (DEBUG), so a feed holds posts only. Other items pass through unchanged.
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from crawler.crawl_items import CommentCountRefresh, CommentListings
from crawler.items import BlogPost, PostComments, PostGone, RejectedPage


class FeedRecordPipeline:
    """Must run after every stage that needs the items themselves (storage)."""

    def process_item(self, item: Any) -> Any:
        if isinstance(item, BlogPost):
            return item.to_record()
        stored = RejectedPage | CommentCountRefresh | PostComments | CommentListings | PostGone
        if isinstance(item, stored):
            raise DropItem(f"{type(item).__name__} stored, not a post record", log_level="DEBUG")
        return item
