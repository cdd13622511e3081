"""The spider's blogs: one :class:`BlogTarget` per blog being crawled, by start URL.

A target is made when the blog's home page answers (:meth:`BlogTargets.open`). In distributed
mode any worker may meet a blog's request first: :meth:`BlogTargets.of` then rebuilds the
target from ``request.meta["blog_plan"]`` and the database, once per run. Outside code (the
offsite and budget middlewares, the plan loader, the distributed worker) uses only the public
methods here; nothing reaches into the registry's dicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from crawler.extensions.run_record import RunLedger
from crawler.spiders.blog_plan import RECRAWL_OVERLAP, BlogTarget
from crawler.spiders.blog_state import StoredBlogState
from crawler.spiders.distributed_plan import target_from_plan
from crawler.urls import canonical_host


class BlogTargets:
    """The targets of the blogs this process crawls (reactor thread only)."""

    def __init__(self, state: StoredBlogState, ledger: RunLedger) -> None:
        self._state = state
        self._ledger = ledger
        self._targets: dict[str, BlogTarget] = {}
        self._opened_runs: dict[str, int] = {}

    def open(
        self,
        start_url: str,
        final_url: str,
        *,
        blog_url: str,
        last_success: datetime | None,
        full: bool,
        max_posts: int | None,
        include_pages: bool,
        run_id: int | None,
        source: str = "auto",
        comments: bool = True,
    ) -> BlogTarget:
        """Make (or remake) the blog's target once its home page answered from ``final_url``.

        Loads what storage knows of the blog; an incremental crawl (not ``full``, a last
        successful run and stored posts) asks the feed from that run minus an overlap.
        """
        final = urlsplit(final_url)
        start_host = canonical_host(urlsplit(start_url).hostname or "")
        known = self._state.known_posts(blog_url, full=full)
        since = None
        if not full and last_success is not None and known:
            since = last_success - RECRAWL_OVERLAP
        target = BlogTarget(
            start_url=start_url,
            scheme=final.scheme,
            netloc=final.netloc,
            hosts={start_host, canonical_host(final.hostname or "")},
            blog_url=blog_url,
            known=known,
            since=since,
            max_posts=max_posts,
            include_pages=include_pages,
            full=full,
            run_id=run_id,
            source=source,
            comments=comments,
        )
        self._state.load_recrawl_state(target)
        self._targets[start_url] = target
        return target

    def of(self, meta: Mapping[str, Any]) -> BlogTarget:
        """Return a request's blog target, rebuilt from its plan when this worker lacks it.

        Raises ``KeyError`` for a blog this process has no target of and no plan for.
        """
        start_url = meta["blog_start"]
        plan = meta.get("blog_plan")
        target = self._targets.get(start_url)
        if plan is None or (target is not None and target.run_id == plan["run_id"]):
            if target is None:
                raise KeyError(f"no crawl state for blog {start_url}")
            return target
        target = target_from_plan(plan)
        self._state.load(target)
        self._targets[start_url] = target
        self._ledger.adopt(start_url, target.url_on_blog("/"), plan["run_id"])
        return target

    def get(self, start_url: str) -> BlogTarget | None:
        """Return the blog's target, or ``None`` before its home page answered here."""
        return self._targets.get(start_url)

    def values(self) -> Iterable[BlogTarget]:
        """Return every target this process holds."""
        return self._targets.values()

    def note_run(self, start_url: str, run_id: int, *, opened: bool) -> None:
        """Remember a distributed run of the blog: ``opened`` here, or one it waits for.

        A run still open elsewhere that this process waits for never replaces one it opened.
        """
        if opened:
            self._opened_runs[start_url] = run_id
        else:
            self._opened_runs.setdefault(start_url, run_id)

    def opened_runs(self) -> dict[str, int]:
        """Distributed mode: the runs this process opened or waits for, by start URL (a copy)."""
        return dict(self._opened_runs)
