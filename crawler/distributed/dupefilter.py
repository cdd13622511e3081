"""A scrapy-redis seen-set per crawl run.

Requests carrying ``meta["run_id"]`` are remembered in the set
:func:`~crawler.distributed.config.seen_key` of that run: within a run every URL is fetched
once across all workers; a later run of the same blog has another set, so a changed post is
fetched again. The run's set is deleted when the run is closed
(:mod:`crawler.distributed.run_accounts`), so the seen-sets do not grow run after run.
Requests without a run (none in this project) use scrapy-redis's one shared set.
"""

from __future__ import annotations

from typing import Any

from scrapy_redis.dupefilter import RFPDupeFilter

from crawler.distributed.config import seen_key


class RunScopedDupeFilter(RFPDupeFilter):  # type: ignore[misc]  # scrapy-redis is untyped
    """scrapy-redis's RFPDupeFilter with one Redis set per ``request.meta["run_id"]``."""

    def request_seen(self, request: Any) -> bool:
        """Whether the request's fingerprint was already in its run's set (adds it if not)."""
        run_id = request.meta.get("run_id")
        if run_id is None:
            return bool(super().request_seen(request))
        added = self.server.sadd(seen_key(run_id), self.request_fingerprint(request))
        return bool(added == 0)
