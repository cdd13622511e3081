"""What a blog's requests carry so that any worker can handle them (distributed mode).

A worker that did not fetch the blog's home page has no :class:`BlogTarget`; it rebuilds one
from ``request.meta["blog_plan"]`` (plain JSON-able values) and the database (known posts,
validators). :func:`accounted` wraps callbacks and errbacks so that a request counts as
handled in its run's pending counter only after all its output has been scheduled.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from scrapy.http import Request

from crawler.distributed.config import TOKEN_META
from crawler.spiders.blog_plan import BlogTarget


def blog_plan(target: BlogTarget) -> dict[str, Any]:
    """Return the serializable description of ``target`` (of a distributed run)."""
    return {
        "run_id": target.run_id,
        "start_url": target.start_url,
        "scheme": target.scheme,
        "netloc": target.netloc,
        "hosts": sorted(target.hosts),
        "blog_url": target.blog_url,
        "blogger_id": target.blogger_id,
        "since": target.since.isoformat() if target.since else None,
        "full": target.full,
        "max_posts": target.max_posts,
        "include_pages": target.include_pages,
        "source": target.source,
        "comments": target.comments,
    }


def plan_since(plan: dict[str, Any]) -> datetime | None:
    """Return the incremental lower bound of a plan (``None``: full crawl)."""
    since = plan.get("since")
    return datetime.fromisoformat(since) if since else None


def target_from_plan(plan: dict[str, Any]) -> BlogTarget:
    """Return a fresh :class:`BlogTarget` from a plan (known posts and validators not loaded)."""
    return BlogTarget(
        start_url=plan["start_url"],
        scheme=plan["scheme"],
        netloc=plan["netloc"],
        hosts=set(plan["hosts"]),
        blog_url=plan["blog_url"],
        blogger_id=plan.get("blogger_id"),
        since=plan_since(plan),
        max_posts=plan["max_posts"],
        include_pages=plan["include_pages"],
        source=plan.get("source", "auto"),
        comments=plan.get("comments", True),
        full=plan["full"],
        run_id=plan["run_id"],
    )


def _meta_of(handled: Any) -> dict[str, Any]:
    request = getattr(handled, "request", None)  # a Response or a Failure
    meta = getattr(request, "meta", None)
    return meta if isinstance(meta, dict) else {}


def accounted(method: Callable[..., Any]) -> Callable[..., Iterator[Any]]:
    """Wrap a spider callback/errback: yield its output, then report the request handled.

    The spider's ``request_handled(meta)`` is called once the output is exhausted, or when the
    callback raises (the request is handled either way). A request in the output never
    carries the handled request's pending token (``run_token``), even when its meta was
    copied from the response's: it is new work and enters the run's count on its own.
    """

    @functools.wraps(method)
    def wrapper(self: Any, handled: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        meta = _meta_of(handled)
        token = meta.get(TOKEN_META)
        try:
            output = method(self, handled, *args, **kwargs)
            for item in output if output is not None else ():
                if isinstance(item, Request) and token and item.meta.get(TOKEN_META) == token:
                    del item.meta[TOKEN_META]
                yield item
        finally:
            self.request_handled(meta)

    return wrapper
