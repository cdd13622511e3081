"""Crawl-run records: one per blog, opened when the blog is known, closed with the crawl.

The :class:`RunLedger` is the crawl's single account of what happened to each blog: the spider
reports discovery and fetch failures, the store pipeline reports storage outcomes, and at the
end :class:`RunRecordExtension` writes every blog's counts, errors and status to its
``crawl_runs`` row (``storage.runs``). ``blogingest crawl`` reads the ledger for its summary and
exit code.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache, partial
from typing import Any
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from scrapy import signals
from sqlalchemy.exc import SQLAlchemyError
from twisted.internet import threads
from twisted.internet.task import LoopingCall

from crawler.extensions.database import crawl_database
from crawler.urls import blog_home_url, canonical_host
from storage import run_liveness, runs
from storage.comments import run_comment_counts
from storage.database import Database, DatabaseUnavailableError

logger = logging.getLogger(__name__)

NOT_BLOGGER = "not a Blogger blog (no feed, no sitemap, no Blogger markup)"
"""The run error of a site whose home page shows no Blogger markup and where discovery
(feed, sitemap, pager) found no post: a Blogger blog always shows one or the other."""

COUNT_KEYS = (
    "found",
    "fetched",
    "stored",
    "from_feed",
    "new",
    "updated",
    "unchanged",
    "rejected",
    "failed",
)
"""Counts every run record carries, in display order: posts ``found`` by discovery, post
pages ``fetched``, posts ``stored`` (written this run: new, updated or unchanged) and of
those the ones built ``from_feed`` entries (the rest came from their pages), then the
outcomes."""

_BY_CRAWLER: WeakKeyDictionary[Any, RunLedger] = WeakKeyDictionary()
_MAX_ERRORS = 50  # a run record keeps the first errors; the rest are counted, not listed


@dataclass
class BlogRun:
    """One blog's run within a crawl."""

    start_url: str
    blog_url: str
    """Canonical home URL; the final host once the home page answered."""
    run_id: int | None = None
    counts: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What is worth knowing and no error (why posts came from pages, say); each once."""
    failed: bool = False
    status: str | None = None
    last_success: datetime | None = None
    """Start of the blog's last successful run before this one (``None``: never)."""
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    """When the crawl took the blog up: the run's start when its record is only written at
    the end (a home page that failed), so the record shows how long the attempt took."""
    blogger_markup: bool | None = None
    """Whether the home page showed Blogger markup (``None``: no home page read)."""


class RunLedger:
    """Per-blog counts, errors and run ids of one crawl (reactor thread only)."""

    def __init__(
        self,
        database: Database,
        *,
        run_id: int | None,
        trigger: str,
        lease: float = run_liveness.DEFAULT_LEASE_SECONDS,
    ) -> None:
        self.database = database
        self.given_run_id = run_id
        self.trigger = trigger
        self.lease = lease
        """Seconds a run of this process stays alive without renewal (``renew_leases``)."""
        self.owner = run_liveness.owner_tag()
        self.blogs: dict[str, BlogRun] = {}
        self._by_host: dict[str, BlogRun] = {}
        self.storage_failed = False
        self.dry_run = False
        """A dry run (``crawl --list``): run records are read, never written."""
        self.records_lost = 0
        """Records neither written nor spooled anywhere (a double fault): exit code 1."""
        self.closed = False
        """Whether the crawl closed (``spider_closed``); not after a forced stop."""
        self.sink: Any = None
        """Distributed mode: a ``RunAccounts`` that receives every count and error by run id,
        and closes the runs itself (this ledger then writes no final records)."""

    @classmethod
    def for_crawler(cls, crawler: Any) -> RunLedger:
        """Return the crawl's ledger, created on first use."""
        found = _BY_CRAWLER.get(crawler)
        if found is None:
            spider_run = crawler.settings.getint("BLOGINGEST_RUN_ID", 0) or None
            found = cls(
                crawl_database(crawler),
                run_id=spider_run,
                trigger=crawler.settings.get("BLOGINGEST_TRIGGER", "manual"),
                lease=run_liveness.lease_seconds(
                    crawler.settings.getfloat("BLOGINGEST_RUN_LEASE_SECONDS", 0) or None
                ),
            )
            found.dry_run = crawler.settings.getbool("BLOGINGEST_DRY_RUN")
            _BY_CRAWLER[crawler] = found
        return found

    def add_blog(self, start_url: str) -> BlogRun:
        """Register a blog by its start URL (before its home page is fetched)."""
        blog = self.blogs.get(start_url)
        if blog is None:
            blog = BlogRun(start_url=start_url, blog_url=blog_home_url(start_url))
            self.blogs[start_url] = blog
            self._by_host[_host(start_url)] = blog
        return blog

    def resolve(self, start_url: str, final_url: str, run_id: int | None = None) -> BlogRun:
        """Name the blog by the host its home page finally came from and open its run record.

        Reads the blog's last successful run (under its start or final URL) for incremental
        recrawl, then starts a ``running`` record, or adopts ``run_id`` (else the given
        ``run_id`` of the crawl). A ``run_id`` other than the blog's current one starts the
        blog afresh (a long-lived worker sees many runs of one blog). First closes the blog's
        runs whose process is gone (``storage.run_liveness``). Commits.
        """
        blog = self.add_blog(start_url)
        if run_id is not None and blog.run_id not in (None, run_id):
            blog = self._restart(start_url)
        blog.blog_url = blog_home_url(final_url)
        self._by_host[_host(final_url)] = blog
        if self.sink is not None and run_id is not None:
            self.sink.name_blog(run_id, blog.blog_url)  # the home its posts are stored under
        given = run_id if run_id is not None else self.given_run_id

        def open_run(session: Any) -> tuple[int | None, datetime | None]:
            previous = [
                run.started_at
                for url in {blog.start_url, blog.blog_url}
                if (run := runs.last_successful_run(session, url)) is not None
            ]
            last = max(previous, default=None)
            if self.dry_run:
                return None, last
            urls = sorted({blog_home_url(blog.start_url), blog.blog_url})
            spare = [given] if given is not None else []
            for dead, reason in run_liveness.close_dead_runs(session, blog_urls=urls, spare=spare):
                logger.warning("run %d of %s closed as interrupted: %s", dead, urls[0], reason)
            until = run_liveness.lease_until(self.lease)
            if given is not None:
                if run_id is None:  # the crawl's own --run-id: this process holds it now
                    run_liveness.claim_run(session, given, owner=self.owner, until=until)
                return given, last
            opened = runs.start_run(
                session,
                blog_url=blog.blog_url,
                trigger=self.trigger,
                owner=self.owner,
                lease_expires_at=until,
            )
            return opened, last

        if blog.run_id is None:
            blog.run_id, last = self.database.transaction(open_run)
            blog.last_success = last.replace(tzinfo=UTC) if last and last.tzinfo is None else last
        return blog

    def adopt(self, start_url: str, final_url: str, run_id: int) -> BlogRun:
        """Know a blog run that another worker opened (no database access)."""
        blog = self.add_blog(start_url)
        if blog.run_id != run_id:
            blog = self._restart(start_url)
            blog.run_id = run_id
        blog.blog_url = blog_home_url(final_url)
        self._by_host[_host(final_url)] = blog
        return blog

    def _restart(self, start_url: str) -> BlogRun:
        self.blogs.pop(start_url, None)
        return self.add_blog(start_url)

    def blog_for(self, url: str) -> BlogRun | None:
        """Return the blog a fetched URL belongs to, by its host (any of the blog's hosts)."""
        return self._by_host.get(_host(url))

    def home_urls_by_run(self) -> dict[int | None, frozenset[str]] | None:
        """Return run id → canonical home URLs of every host its blog answered on.

        The hosts are the blog's start host and the host its home page finally answered from
        (a moved blog keeps both). ``None`` when no blog is registered (nothing to confine to).
        """
        if not self.blogs:
            return None
        found: dict[int | None, set[str]] = {}
        for host, blog in self._by_host.items():
            found.setdefault(blog.run_id, set()).add(f"https://{host}/")
        for blog in self.blogs.values():
            found.setdefault(blog.run_id, set()).update(
                {blog.blog_url, blog_home_url(blog.start_url)}
            )
        return {run_id: frozenset(urls) for run_id, urls in found.items()}

    def count(self, url: str, key: str, amount: int = 1) -> None:
        """Add ``amount`` to count ``key`` of the blog that ``url`` belongs to."""
        blog = self.blog_for(url)
        if blog is not None and amount:
            blog.counts[key] += amount
            if self.sink is not None and blog.run_id is not None:
                self.sink.count(blog.run_id, key, amount)

    def hold(self, run_id: int, amount: int) -> None:
        """Hold (+1) or release (-1) run ``run_id`` for an unwritten store batch.

        Only a shared run needs it (distributed mode: another worker may close it); a local
        run is closed by this process, after its last batch.
        """
        if self.sink is not None:
            self.sink.hold(run_id, amount)

    def error(self, url: str, message: str, *, fatal: bool = False) -> None:
        """Record a one-line error on the blog of ``url``; ``fatal`` fails the blog's run."""
        blog = self.blog_for(url)
        if blog is None:
            logger.warning("%s (no blog for %s)", message, url)
            return
        if len(blog.errors) < _MAX_ERRORS:
            blog.errors.append(message)
        blog.counts["errors"] += 1
        blog.failed = blog.failed or fatal
        if self.sink is not None and blog.run_id is not None:
            self.sink.error(blog.run_id, message, fatal=fatal)

    def note(self, url: str, message: str) -> None:
        """Record a one-line note on the blog of ``url``, once: worth knowing, no error.

        E.g. why the blog's posts came from pages rather than its feed. A note never fails
        the run; an expected fallback is a note, a fault an :meth:`error`.
        """
        blog = self.blog_for(url)
        if blog is None:
            logger.info("%s (no blog for %s)", message, url)
            return
        if message in blog.notes or len(blog.notes) >= _MAX_ERRORS:
            return
        blog.notes.append(message)
        if self.sink is not None and blog.run_id is not None:
            self.sink.note(blog.run_id, message)

    def held_runs(self) -> list[int]:
        """Ids of the runs this process holds (none in distributed mode: the workers do)."""
        if self.sink is not None:
            return []
        return [blog.run_id for blog in self.blogs.values() if blog.run_id is not None]

    def renew_leases(self, held: list[int]) -> None:
        """Extend the leases of runs ``held`` (a thread may call it: reads no ledger state)."""
        if not held:
            return
        until = run_liveness.lease_until(self.lease)
        try:
            self.database.transaction(
                lambda session: run_liveness.renew_leases(session, held, until=until)
            )
        except (SQLAlchemyError, DatabaseUnavailableError) as error:
            # The next renewal may pass; the finish writes the outcome either way.
            logger.warning("could not renew run leases: %s", str(error).splitlines()[0])

    def finish(self, reason: str) -> None:
        """Write every blog's final record: status, counts, errors. Commits per blog.

        ``reason`` is Scrapy's close reason: ``finished`` gives ``success`` (``failed`` for a
        blog with a fatal error or when storage failed); anything else gives ``interrupted``.
        """
        for blog in self.blogs.values():
            if reason == "finished" and blog.blogger_markup is False and not blog.counts["found"]:
                self._fail(blog, NOT_BLOGGER)
            blog.status = self._status(blog, reason)
            if self.dry_run:
                continue
            try:
                self.database.transaction(partial(self._write, blog=blog))
            except SQLAlchemyError as error:
                logger.error(
                    "could not write the run record of %s to %s: %s",
                    blog.blog_url,
                    self.database.redacted_url,
                    str(error).splitlines()[0],
                )

    def _fail(self, blog: BlogRun, message: str) -> None:
        if len(blog.errors) < _MAX_ERRORS:
            blog.errors.insert(0, message)  # the reason the run failed comes first
        blog.counts["errors"] += 1
        blog.failed = True

    def _status(self, blog: BlogRun, reason: str) -> str:
        if reason != "finished":
            return "interrupted"
        return "failed" if blog.failed or self.storage_failed else "success"

    def _write(self, session: Any, *, blog: BlogRun) -> None:
        if blog.run_id is None:
            blog.run_id = self.given_run_id or runs.start_run(
                session, blog_url=blog.blog_url, trigger=self.trigger, started_at=blog.started_at
            )
        runs.finish_run(
            session,
            blog.run_id,
            status=blog.status or "failed",
            counts={key: blog.counts[key] for key in (*COUNT_KEYS, "errors")}
            | run_comment_counts(session, blog.blog_url),
            errors=blog.errors,
            notes=blog.notes,
            exit_code=0 if blog.status == "success" else 1,
        )

    def exit_code(self) -> int:
        """0 when every blog's run succeeded and nothing was lost, else 1."""
        ok = all(blog.status == "success" for blog in self.blogs.values())
        return 0 if ok and self.blogs and not self.records_lost else 1


# Every record of a post is routed to its blog by its URL's host, six times or so a post
# (found, fetched or built, stored, ...): the same URLs come back, and splitting them was
# half the cost of that routing.
@lru_cache(maxsize=4096)
def _host(url: str) -> str:
    return canonical_host(urlsplit(url).hostname or "")


class RunRecordExtension:
    """Keeps this crawl's run records alive and closes them when the crawl closes.

    The leases are renewed every quarter lease; the records are closed after the pipelines
    flushed.
    """

    def __init__(self, ledger: RunLedger) -> None:
        self.ledger = ledger
        self.renewal: LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunRecordExtension:
        extension = cls(RunLedger.for_crawler(crawler))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        self.renewal = LoopingCall(self._renew)
        self.renewal.start(self.ledger.lease / 4, now=False)

    def _renew(self) -> Any:
        # Off the reactor: a slow database must not stall the crawl. The ids are read here,
        # on the reactor thread, which alone changes the ledger.
        return threads.deferToThread(self.ledger.renew_leases, self.ledger.held_runs())

    def spider_closed(self, spider: Any, reason: str) -> None:
        self.ledger.closed = True
        if self.renewal is not None and self.renewal.running:
            self.renewal.stop()
        if self.ledger.sink is None:  # distributed runs are closed by the run accounts
            self.ledger.finish(reason)
