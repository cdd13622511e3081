"""Progress while a crawl runs, and a per-blog summary when it ends.

Progress says how far: ``posts 36/61 (59%), 4.1 posts/s, ETA 6s`` once discovery has found
posts to take (the total grows while discovery is still reading feeds and sitemaps): a post is
done when its page answered or failed, or when it was built from its feed entry (feed-first).
Then how many of them came from the feed, and the same counts the summary gives (new,
updated, unchanged, rejected, failed), so the two agree.

Where it goes (``PROGRESS_TO_STDERR``, set by ``blogingest crawl``): on a terminal, a live
tqdm bar redrawn in place; otherwise one plain timestamped line every ``PROGRESS_INTERVAL``
seconds (``2026-01-02T03:04:05Z progress: ...``), which a log file or a test can parse.
Without it (``scrapy crawl``), the line goes to the log. ``PROGRESS_INTERVAL`` 0 turns the
progress lines off (``-q``), the closing one too. Nothing is shown before discovery has
found a post. At the end, one summary per blog (from the run ledger): a blog that failed
before finding anything gets a single line saying why.
"""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from scrapy import signals
from twisted.internet import task

from crawler.extensions.run_record import COUNT_KEYS, BlogRun, RunLedger

logger = logging.getLogger(__name__)

BAR_REFRESH_SECONDS = 0.5
"""How often the terminal bar is redrawn (the plain lines keep ``PROGRESS_INTERVAL``)."""


@dataclass(frozen=True, kw_only=True)
class ProgressSnapshot:
    """The crawl's counts at one moment, from Scrapy stats (all blogs together)."""

    found: int
    """Posts discovery listed (each once), whether or not they need a fetch."""
    to_fetch: int
    """Posts taken so far (their page requested or their feed entry built): found, less
    those skipped (unchanged, rejected before, over ``max_posts``). Grows while discovery
    runs."""
    done: int
    """Posts taken and done: page fetched, not modified (304) or failed, or built from its
    feed entry."""
    from_feed: int = 0
    """Of ``done``, the posts built from their feed entries (no page fetched)."""
    new: int
    updated: int
    unchanged: int
    """Stored unchanged, skipped as unchanged, or not modified: the summary's ``unchanged``."""
    rejected: int
    failed: int
    elapsed: float

    @classmethod
    def from_stats(cls, stats: dict[str, Any], elapsed: float) -> ProgressSnapshot:
        def value(key: str) -> int:
            return int(stats.get(key, 0) or 0)

        found = value("discovery/posts_found")
        skipped = (
            value("posts/unchanged_skipped")
            + value("posts/rejected_before_skipped")
            + value("posts/over_budget")
        )
        return cls(
            found=found,
            to_fetch=max(found - skipped, 0),
            done=value("posts/fetched")
            + value("posts/not_modified")
            + value("posts/failed")
            + value("posts/from_feed"),
            from_feed=value("posts/from_feed"),
            new=value("posts/inserted"),
            updated=value("posts/updated"),
            unchanged=value("posts/unchanged")
            + value("posts/unchanged_skipped")
            + value("posts/not_modified"),
            rejected=value("posts/rejected_stored"),
            failed=value("posts/failed"),
            elapsed=elapsed,
        )

    @property
    def rate(self) -> float:
        """Posts done per second since the crawl opened."""
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta_seconds(self) -> float | None:
        """Seconds left at the current rate; ``None`` before the first answer."""
        if self.rate <= 0 or self.to_fetch == 0:
            return None
        return max(self.to_fetch - self.done, 0) / self.rate


def format_duration(seconds: float) -> str:
    """``6s``, ``2m05s``, ``1h02m``: short and exact enough for an ETA."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m{whole % 60:02d}s"
    return f"{whole // 3600}h{whole % 3600 // 60:02d}m"


def progress_line(snapshot: ProgressSnapshot) -> str:
    """Return one line: ``posts 36/61 (59%), 4.1 posts/s, ETA 6s; found 80, ...``."""
    s = snapshot
    if s.to_fetch:
        eta = s.eta_seconds
        head = (
            f"posts {s.done}/{s.to_fetch} ({100 * s.done // s.to_fetch}%), "
            f"{s.rate:.1f} posts/s, ETA {format_duration(eta) if eta is not None else '?'}"
        )
    else:
        head = f"posts 0/0, {'discovering' if not s.found else 'nothing to fetch'}"
    return (
        f"{head}; found {s.found}, from feed {s.from_feed}, new {s.new}, updated {s.updated}, "
        f"unchanged {s.unchanged}, rejected {s.rejected}, failed {s.failed}"
    )


def timestamped(line: str, now: datetime | None = None) -> str:
    """``2026-01-02T03:04:05Z progress: <line>`` (UTC, whole seconds)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return f"{moment.strftime('%Y-%m-%dT%H:%M:%SZ')} progress: {line}"


def blog_summary(blog: BlogRun) -> str:
    """Per blog: status, run id and every count, then the first error and note if any.

    The posts stored say where they came from: ``stored 2000 (1997 from the feed, 3 from
    pages)``.

    A blog that failed before discovery found a post (unreachable, not a Blogger blog) gets
    one line: the blog, its status and the reason, e.g.
    ``https://x.blogspot.com/: failed (run 3): home page https://x.blogspot.com/: timeout``.
    """
    status = blog.status or "unknown"
    if blog.errors and not blog.counts["found"] and status != "success":
        return f"{blog.blog_url}: {status} (run {blog.run_id}): {blog.errors[0]}"
    counts = ", ".join(_count(blog, key) for key in COUNT_KEYS if key != "from_feed")
    line = f"{blog.blog_url}: {status} (run {blog.run_id}): {counts}"
    for label, messages in (("first error", blog.errors), ("note", blog.notes)):
        if messages:
            more = f" (+{len(messages) - 1} more)" if len(messages) > 1 else ""
            line += f"\n    {label}: {messages[0]}{more}"
    return line


def _count(blog: BlogRun, key: str) -> str:
    if key != "stored":
        return f"{key} {blog.counts[key]}"
    stored, from_feed = blog.counts["stored"], blog.counts["from_feed"]
    return f"stored {stored} ({from_feed} from the feed, {stored - from_feed} from pages)"


class _TerminalBar:
    """A tqdm bar on ``stream``: total = posts to fetch, position = answered, counts after."""

    def __init__(self, stream: IO[str]) -> None:
        from tqdm import tqdm

        self._bar = tqdm(total=0, unit="post", file=stream, dynamic_ncols=True, leave=True)

    def show(self, snapshot: ProgressSnapshot) -> None:
        self._bar.total = snapshot.to_fetch
        self._bar.n = snapshot.done
        self._bar.set_postfix_str(
            f"from feed {snapshot.from_feed}, new {snapshot.new}, updated {snapshot.updated}, "
            f"unchanged {snapshot.unchanged}, "
            f"rejected {snapshot.rejected}, failed {snapshot.failed}",
            refresh=False,
        )
        self._bar.refresh()

    def close(self) -> None:
        self._bar.close()


class ProgressExtension:
    def __init__(self, crawler: Any, stream: IO[str] | None = None) -> None:
        self.crawler = crawler
        self.interval = crawler.settings.getfloat("PROGRESS_INTERVAL", 5.0)
        self.to_stderr = crawler.settings.getbool("PROGRESS_TO_STDERR")
        self.stream: IO[str] = stream or sys.stderr
        self.started = time.monotonic()
        self._loop: task.LoopingCall | None = None
        self._bar: _TerminalBar | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProgressExtension:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        self.started = time.monotonic()
        if self.interval <= 0:
            return
        every = self.interval
        if self.to_stderr and self.stream.isatty():
            self._bar = _TerminalBar(self.stream)
            every = min(every, BAR_REFRESH_SECONDS)
        self._loop = task.LoopingCall(self.report)
        self._loop.start(every, now=False)

    def snapshot(self) -> ProgressSnapshot:
        return ProgressSnapshot.from_stats(
            self.crawler.stats.get_stats(), time.monotonic() - self.started
        )

    def report(self) -> None:
        snapshot = self.snapshot()
        if not snapshot.found:
            # Nothing to tell yet; a blog that fails before discovery finds a post (its home
            # page unreachable, not a Blogger blog) then prints only its one summary line.
            return
        if self._bar is not None:
            self._bar.show(snapshot)
        elif self.to_stderr:
            self._say(timestamped(progress_line(snapshot)))
        else:
            logger.info("progress: %s", progress_line(snapshot))

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        if self.crawler.settings.getbool("BLOGINGEST_DRY_RUN"):
            return  # the dry run prints its own list and summary (crawler.middlewares.dry_run)
        if self.interval > 0:  # 0 (-q): no progress lines at all, the summaries only
            self.report()  # the closing line, which the summary below agrees with
        if self._bar is not None:
            self._bar.close()
        for blog in RunLedger.for_crawler(self.crawler).blogs.values():
            self._say(blog_summary(blog))

    def _say(self, line: str) -> None:
        if self.to_stderr:
            print(line, file=self.stream, flush=True)
        else:
            logger.info(line)
