"""Never follow a link off the blog: requests must stay on a host of one of the crawled blogs."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.exceptions import IgnoreRequest

from crawler.urls import canonical_host

logger = logging.getLogger(__name__)


class BlogOffsiteMiddleware(OffsiteMiddleware):
    """Scrapy's offsite filter, with the allowed hosts taken from the spider's blogs.

    A blog's hosts are its start host and the host its home page finally answered from (a
    blogspot blog moved to a custom domain keeps both). The home-page request itself carries
    ``allow_offsite`` so its redirect to the custom domain is followed, and ``robots.txt``
    (fetched for a request that was itself allowed) always passes. A spider without
    ``targets`` (not ours) is not filtered.
    """

    def process_request(self, request: Any) -> None:  # type: ignore[override]  # no spider arg
        """Filter like Scrapy's, except that ``dont_filter`` does not exempt a request.

        Post requests carry ``dont_filter`` (the spider dedupes them itself, and a redirect loop
        must reach the redirect limit instead of vanishing in the dupe filter); they must still
        stay on the blog when redirected.
        """
        if request.meta.get("allow_offsite") or self.should_follow(request, self.crawler.spider):
            return
        host = urlsplit(request.url).hostname or ""
        if host not in self.domains_seen:
            self.domains_seen.add(host)
            logger.debug("Filtered offsite request to %r: %s", host, request)
            self.stats.inc_value("offsite/domains")
        self.stats.inc_value("offsite/filtered")
        raise IgnoreRequest(f"Filtered offsite request to {host!r}")

    def should_follow(self, request: Any, spider: Any) -> bool:
        targets = getattr(spider, "targets", None)
        if targets is None:
            return True
        parts = urlsplit(request.url)
        if parts.path == "/robots.txt":
            return True
        host = canonical_host(parts.hostname or "")
        return any(host in target.hosts for target in targets.values())
