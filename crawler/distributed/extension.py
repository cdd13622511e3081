"""The distributed worker's entry in ``EXTENSIONS``: Redis is imported only by a distributed crawl.

Scrapy imports every extension it lists, on or off. The worker
(:mod:`crawler.distributed.worker`) imports Redis and scrapy-redis, about 40 ms of every
crawl's start-up that a single-process crawl never uses; this entry imports it only once
``BLOGINGEST_DISTRIBUTED`` (set with ``REDIS_URL``) says the crawl needs it.
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import NotConfigured


class DistributedWorkerEntry:
    """Builds the :class:`~crawler.distributed.worker.DistributedWorker` of a distributed crawl."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> Any:
        if not crawler.settings.getbool("BLOGINGEST_DISTRIBUTED"):
            # No message: Scrapy logs a NotConfigured reason as a WARNING, and single-process
            # crawls (the default) are not a condition to warn about.
            raise NotConfigured
        from crawler.distributed.worker import DistributedWorker  # noqa: PLC0415 - see above

        return DistributedWorker.from_crawler(crawler)
