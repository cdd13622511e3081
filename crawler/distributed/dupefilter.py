"""A scrapy-redis seen-set whose fingerprints are scoped to one crawl run.

Within a run every URL is fetched once across all workers; a later run of the same blog
(another ``run_id`` in ``request.meta``) fingerprints differently, so a changed post is
fetched again. Requests without a ``run_id`` keep the plain fingerprint.
"""

from __future__ import annotations

import hashlib
from typing import Any

from scrapy_redis.dupefilter import RFPDupeFilter


class RunScopedDupeFilter(RFPDupeFilter):  # type: ignore[misc]  # scrapy-redis is untyped
    """scrapy-redis's RFPDupeFilter with ``request.meta["run_id"]`` in the fingerprint."""

    def request_fingerprint(self, request: Any) -> str:
        """Hex SHA-1 of the run id and scrapy-redis's own fingerprint of the request."""
        plain: str = super().request_fingerprint(request)
        run_id = request.meta.get("run_id")
        if run_id is None:
            return plain
        return hashlib.sha1(f"{run_id}:{plain}".encode(), usedforsecurity=False).hexdigest()
