"""The one place a blog's requests are built, and the :class:`Route` protocol they lead to.

Every request the spider makes goes to the spider's two entry points
(``route_response`` / ``route_failure``), which hand it to the route named by
``meta["route"]``: so a request stays a plain, serialisable value (scrapy-redis stores the
callback by name) and any worker can continue it. A blog's requests also carry what its run
accounting puts in their meta (:meth:`BlogRunAccounting.meta_of`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

from scrapy.http import Request, Response

from crawler.spiders.blog_plan import BlogTarget
from crawler.spiders.blog_runs import BlogRunAccounting

ROUTE_META = "route"
"""The meta key naming the route that handles a request's response and failure."""


class Route(Protocol):
    """One discovery or fetch step of a blog: it handles the responses of its own requests."""

    name: str
    """Unique among the spider's routes; the value of ``meta["route"]`` on its requests."""

    def parse(self, response: Response) -> Iterable[Any]:
        """Handle a response to one of this route's requests: yield requests and items."""
        ...

    def failed(self, failure: Any) -> Iterable[Any]:
        """Handle a failed request of this route (a ``Failure``): yield requests and items."""
        ...


class BlogRequests:
    """Builds every request of the spider: the route's name, the blog's meta, the priority."""

    def __init__(
        self,
        callback: Callable[[Response], Any],
        errback: Callable[[Any], Any],
        runs: BlogRunAccounting,
    ) -> None:
        self._callback = callback
        self._errback = errback
        self._runs = runs

    def request(
        self,
        route: str,
        url: str,
        *,
        meta: Mapping[str, Any],
        priority: int = 0,
        dont_filter: bool = False,
    ) -> Request:
        """Return a request to ``url`` handled by ``route`` with exactly ``meta`` besides."""
        return Request(
            url,
            callback=self._callback,
            errback=self._errback,
            dont_filter=dont_filter,
            meta={**meta, ROUTE_META: route},
            priority=priority,
        )

    def for_blog(
        self,
        route: str,
        target: BlogTarget,
        url: str,
        *,
        priority: int = 0,
        meta: Mapping[str, Any] | None = None,
        dont_filter: bool = False,
    ) -> Request:
        """Return a request of ``target``'s blog: its run's meta, then ``meta``."""
        return self.request(
            route,
            url,
            meta={**self._runs.meta_of(target), **(meta or {})},
            priority=priority,
            dont_filter=dont_filter,
        )

    @property
    def shared_frontier(self) -> bool:
        """Whether requests go to a shared queue (its run-scoped seen-set dedupes them)."""
        return self._runs.shared_frontier
