"""Conditional GET for post pages: ``If-None-Match``/``If-Modified-Since`` from stored validators.

The spider loads the validators of a blog's stored posts once (``storage.crawl_state``) and
puts a post's own in ``meta['validators']``; only those requests become conditional, so a
``304 Not Modified`` can never hide a post we lack. A 304 reaches the spider
(``handle_httpstatus_list``), which counts the post unchanged. New validators of post pages
(``meta`` has the ``validators`` key) answered 200 are saved when the crawl closes, keyed by
the fetched URL, unless storing the crawl's posts failed (then the next crawl refetches).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from scrapy import signals
from sqlalchemy.exc import SQLAlchemyError

from crawler.extensions.database import crawl_database
from crawler.extensions.run_record import RunLedger
from storage import crawl_state
from storage.database import Database
from storage.values import Validators

logger = logging.getLogger(__name__)


class ConditionalGetMiddleware:
    def __init__(self, database: Database, ledger: RunLedger) -> None:
        self.database = database
        self.ledger = ledger
        self.pending: dict[str, Validators] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> ConditionalGetMiddleware:
        middleware = cls(crawl_database(crawler), RunLedger.for_crawler(crawler))
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_request(self, request: Any) -> None:
        found: Validators | None = request.meta.get("validators")
        if found is None:
            return
        if found.etag:
            request.headers[b"If-None-Match"] = found.etag
        if found.last_modified:
            request.headers[b"If-Modified-Since"] = found.last_modified

    def process_response(self, request: Any, response: Any) -> Any:
        if "validators" in request.meta and response.status == 200:
            etag = response.headers.get(b"ETag")
            modified = response.headers.get(b"Last-Modified")
            if etag or modified:
                self.pending[response.url] = Validators(
                    etag=etag.decode("latin-1") if etag else None,
                    last_modified=modified.decode("latin-1") if modified else None,
                    last_status=response.status,
                    fetched_at=datetime.now(UTC),
                )
        return response

    def spider_closed(self, spider: Any) -> None:
        if not self.pending or self.ledger.storage_failed:
            return
        try:
            self.database.transaction(
                lambda session: crawl_state.save_fetch_validators(session, self.pending)
            )
        except SQLAlchemyError as error:
            # Losing validators costs one full fetch next time, never a post: log and go on.
            logger.warning(
                "could not save %d fetch validators to %s: %s",
                len(self.pending),
                self.database.redacted_url,
                str(error).splitlines()[0],
            )
