"""The shared-queue scheduler: scrapy-redis's, riding out a Redis outage without log floods.

scrapy-redis's scheduler raises on every call while Redis is unreachable; Scrapy's engine
asks it for the next request many times a second, so an outage of a few seconds wrote
hundreds of traceback lines per worker. This subclass turns an outage into one error line
(and one line when Redis answers again):

- ``next_request`` / ``has_pending_requests``: nothing to hand out now (the worker idles and
  its idle check keeps it alive);
- ``enqueue_request``: the request cannot reach the shared queue, so it is lost; its run is
  marked *lost* (``crawler.distributed.accounting``) and will close ``interrupted``, never
  ``success`` on partial work. The next run of the blog fetches what is missing.
"""

from __future__ import annotations

import logging
from typing import Any

from redis.exceptions import RedisError
from scrapy_redis.scheduler import Scheduler

from crawler.extensions.run_record import RunLedger

logger = logging.getLogger(__name__)


class SharedQueueScheduler(Scheduler):  # type: ignore[misc]  # scrapy-redis is untyped
    """scrapy-redis's ``Scheduler`` that survives Redis outages (see the module doc)."""

    crawler: Any = None
    redis_down: bool = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedQueueScheduler:
        instance: SharedQueueScheduler = super().from_crawler(crawler)
        instance.crawler = crawler
        return instance

    def enqueue_request(self, request: Any) -> bool:
        """Queue ``request``; during an outage it is lost and its run marked lost."""
        try:
            queued = bool(super().enqueue_request(request))
        except RedisError as error:
            self._outage(error)
            self._lose(request, error)
            return True  # not "dropped by the seen-set": it must not leave its run's count
        self._answering()
        return queued

    def next_request(self) -> Any:
        """Return the next shared request, or ``None`` (also while Redis is unreachable)."""
        try:
            request = super().next_request()
        except RedisError as error:
            self._outage(error)
            return None
        self._answering()
        return request

    def has_pending_requests(self) -> bool:
        """Whether the shared queue holds requests (``False`` while Redis is unreachable)."""
        try:
            return bool(super().has_pending_requests())
        except RedisError as error:
            self._outage(error)
            return False

    def _lose(self, request: Any, error: RedisError) -> None:
        run_id = request.meta.get("run_id")
        accounting = RunLedger.for_crawler(self.crawler).sink if self.crawler else None
        if run_id is not None and accounting is not None:
            accounting.lose(run_id, f"a request could not be queued: {_line(error)}")
        else:
            logger.error("request %s lost: Redis unreachable", request.url)

    def _outage(self, error: RedisError) -> None:
        if not self.redis_down:  # one line per outage, not one per engine poll
            logger.error("shared queue: Redis unreachable: %s", _line(error))
        self.redis_down = True

    def _answering(self) -> None:
        if self.redis_down:
            logger.warning("shared queue: Redis answers again")
        self.redis_down = False


def _line(error: BaseException) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__
