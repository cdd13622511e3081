"""Never fetch anything off the blog: requests must stay on a host the crawl is entitled to."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.exceptions import IgnoreRequest

from crawler.urls import canonical_host

logger = logging.getLogger(__name__)


class OffBlogRedirect(IgnoreRequest):
    """A request of a blog was redirected to a host that is not the blog's.

    The message is the one-line reason runs and rejects record: ``redirected off the blog to
    HOST``.
    """


class BlogOffsiteMiddleware(OffsiteMiddleware):
    """Scrapy's offsite filter, with the allowed hosts taken from the spider's blogs.

    A blog's hosts are its start host and the host its home page finally answered from (a
    blogspot blog moved to a custom domain keeps both). The home-page request itself carries
    ``allow_offsite`` so its redirects are followed: every host that chain reaches is one the
    blog moved to in this crawl, and is entitled from then on. ``robots.txt`` passes only on
    an entitled host (a post redirecting to another host's ``/robots.txt`` must not fetch
    it). A request redirected off the blog fails with :class:`OffBlogRedirect`, so its
    errback can record it. A spider without ``targets`` (not ours) is not filtered.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entitled_hosts: set[str] = set()
        """Canonical hosts reached by a blog's home-page request (start hosts, their moves)."""

    def request_scheduled(self, request: Any, spider: Any) -> None:
        """Drop an off-blog request when scheduled, except a redirect (see below).

        Scrapy filters here too, and a request dropped at scheduling vanishes without its
        errback; a redirect off the blog must reach the errback to be recorded as a failed
        post, so it is left to :meth:`process_request` in the downloader.
        """
        if not request.meta.get("redirect_urls"):
            self.process_request(request)

    def process_request(self, request: Any) -> None:  # type: ignore[override]  # no spider arg
        """Filter like Scrapy's, except that ``dont_filter`` does not exempt a request.

        Post requests carry ``dont_filter`` (the spider dedupes them itself, and a redirect loop
        must reach the redirect limit instead of vanishing in the dupe filter); they must still
        stay on the blog when redirected.
        """
        host = urlsplit(request.url).hostname or ""
        if request.meta.get("allow_offsite"):
            self.entitled_hosts.add(canonical_host(host))
            return
        if self.should_follow(request, self.crawler.spider):
            return
        if host not in self.domains_seen:
            self.domains_seen.add(host)
            logger.debug("Filtered offsite request to %r: %s", host, request)
            self.stats.inc_value("offsite/domains")
        self.stats.inc_value("offsite/filtered")
        if request.meta.get("redirect_urls"):
            self.stats.inc_value("offsite/redirects")
            raise OffBlogRedirect(f"redirected off the blog to {host}")
        raise IgnoreRequest(f"Filtered offsite request to {host!r}")

    def should_follow(self, request: Any, spider: Any) -> bool:
        targets = getattr(spider, "targets", None)
        if targets is None:
            return True
        host = canonical_host(urlsplit(request.url).hostname or "")
        return host in self.entitled_hosts or any(
            host in target.hosts for target in targets.values()
        )
