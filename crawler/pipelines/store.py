"""Item pipeline stage: store posts, rejects and comment counts in batches, off the reactor.

Buffers :class:`~crawler.items.BlogPost`, :class:`~crawler.items.RejectedPage`,
:class:`~crawler.items.PostGone`, :class:`~crawler.crawl_items.CommentCountRefresh` and
comment listings (:class:`~crawler.items.PostComments`, alone or a page's
:class:`~crawler.crawl_items.CommentListings`) items
and writes them in one transaction per batch (``STORE_BATCH_SIZE`` items, or every
``STORE_BATCH_SECONDS``), in a worker thread (``asyncio.to_thread``) so the crawl keeps
fetching meanwhile. Each post's outcome is counted
in ``crawler.stats`` (``posts/inserted|updated|unchanged|rejected``, ``posts/failed``) and on
its blog's run (:class:`~crawler.extensions.run_record.RunLedger`). A post's page thread is
stored with it unless its blog's comments are off (the blog's target says; ``Batch.no_threads``).

When the database is unreachable or locked, the batch is kept and retried with the next one;
if it still cannot be written when the crawl closes, every unwritten record goes to a JSONL
spool file under ``BLOGINGEST_DATA_DIR/spool/`` (named in the error), and the runs fail;
``blogingest db load-spool`` writes it to the database later. When that folder is unusable
too, a fallback folder (the user's state directory, then a new one in the temp dir) takes it,
named in the error; when none does, the error counts the posts lost and the crawl exits 1.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy.exc import SQLAlchemyError

from crawler.crawl_items import CommentCountRefresh, CommentListings
from crawler.extensions.database import crawl_database
from crawler.extensions.run_record import RunLedger
from crawler.extensions.sightings import PostSightings
from crawler.feed_records import is_raw_entry_type
from crawler.items import BlogPost, PostComments, PostGone, RejectedPage
from crawler.parsing import PARSER_VERSION
from storage.batch import Batch, WriteResult, write_batch
from storage.comments import CommentWrite
from storage.database import DatabaseUnavailableError
from storage.repository import Outcome
from storage.spool import describe_lost, fallback_spool_dirs, spool_anywhere

logger = logging.getLogger(__name__)

_OUTCOME_KEYS = {
    Outcome.INSERTED: "new",
    Outcome.UPDATED: "updated",
    Outcome.UNCHANGED: "unchanged",
    Outcome.REJECTED: "rejected",
}
_STORED = frozenset({Outcome.INSERTED, Outcome.UPDATED, Outcome.UNCHANGED})
_CLOSE_ATTEMPTS = 3  # writes tried at close before spooling
# Writes (one a batch tick at most) that feed comments wait for their post, holding its run
# open: a post that another worker (or a later batch) stores is there well within that. Feed
# comments of posts the run never stores (past --max-posts) delay its close by this many ticks.
_UNPLACED_ROUNDS = 5
_BY_CRAWLER: WeakKeyDictionary[Any, StorePostPipeline] = WeakKeyDictionary()


def _built_from_feed(post: BlogPost) -> bool:
    """Whether ``post`` was built from its feed entry (its raw bytes are the entry)."""
    raw = post.raw_page
    return raw is not None and is_raw_entry_type(raw.content_type)


def is_fetch_failure(page: RejectedPage) -> bool:
    """Tell a page that never arrived whole (HTTP error, timeout) from one we rejected."""
    return page.status is None or page.status >= 400


class StorePostPipeline:
    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        self.stats = crawler.stats
        self.ledger = RunLedger.for_crawler(crawler)
        self.sightings = PostSightings.for_crawler(crawler)
        self.database = crawl_database(crawler)
        self.batch_size = settings.getint("STORE_BATCH_SIZE", 200)
        self.batch_seconds = settings.getfloat("STORE_BATCH_SECONDS", 2.0)
        self.retry_pause = settings.getfloat("STORE_RETRY_PAUSE_SECONDS", 2.0)
        self.spool_dir = Path(settings.get("BLOGINGEST_DATA_DIR") or "data") / "spool"
        self.crawler = crawler
        self.pending = Batch()
        self.unplaced: list[PostComments] = []
        """Feed comments whose post was not stored yet: retried with each later batch, and at
        each batch tick for ``_UNPLACED_ROUNDS`` writes (their runs held open meanwhile)."""
        self._unplaced_rounds = 0
        self._lock: asyncio.Lock | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._writes: set[asyncio.Future[bool]] = set()  # started, not yet finished (shielded)
        self._held: set[int] = set()
        """Runs the pending batch holds (``RunLedger.hold``) until it is committed."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePostPipeline:
        pipeline = cls(crawler)
        _BY_CRAWLER[crawler] = pipeline  # found again after a forced stop (forced_stop.py)
        return pipeline

    @classmethod
    def of_crawler(cls, crawler: Any) -> StorePostPipeline | None:
        """Return the crawl's store pipeline, if it has one."""
        return _BY_CRAWLER.get(crawler)

    async def process_item(self, item: Any) -> Any:
        if isinstance(item, CommentListings):  # a comments-feed page: each listing a record
            for listing in item.listings:
                self._add(listing)
            added = bool(item.listings)
        else:
            added = self._add(item)
        if not added:
            return item
        self._start_ticker()
        if self.pending.size >= self.batch_size:
            await self.flush()
        return item

    def _add(self, item: Any) -> bool:
        """Add ``item`` to the pending batch, holding its run; False: not a record stored here."""
        if isinstance(item, BlogPost):
            # Its row is built now, once, not in the batch's transaction.
            run = self._run_of(item.source_url or item.url)
            self.pending.add_post(run, item)
            if not self._thread_stored(item):
                self.pending.no_threads.add(item.url)
        elif isinstance(item, RejectedPage):
            run = self._run_of(item.url)
            self.pending.rejects.setdefault(run, []).append(item)
        elif isinstance(item, CommentCountRefresh):
            run = self._run_of(item.source_url)
            self.pending.counts.update(item.counts)
        elif isinstance(item, PostGone):
            run = self._run_of(item.url)
            self.pending.gone.append(item)
        elif isinstance(item, PostComments):
            run = self._run_of(item.post_url) if item.post_url else None
            self.pending.comments.append(item)
        else:
            return False
        self._hold(run)
        self.pending.size += 1
        return True

    def _thread_stored(self, post: BlogPost) -> bool:
        """Whether ``post``'s page thread is stored: its blog's comments switch.

        The blog's target holds it (its crawl's ``comments`` option, or its distributed start
        job's, which differ between the blogs of one worker); a post of a blog without a
        target here follows the crawl's option (default on).
        """
        spider = getattr(self.crawler, "spider", None)
        blog = self.ledger.blog_for(post.source_url or post.url)
        targets = getattr(spider, "targets", None)
        target = None if blog is None or targets is None else targets.get(blog.start_url)
        if target is not None:
            return bool(target.comments)
        return bool(getattr(getattr(spider, "options", None), "comments", True))

    def _hold(self, run: int | None) -> None:
        """Hold ``run`` open until the pending batch, which now has a record of it, is written."""
        if run is not None and run not in self._held:
            self._held.add(run)
            self.ledger.hold(run, 1)

    def _release(self, runs: set[int]) -> None:
        for run in runs:
            self.ledger.hold(run, -1)

    def _run_of(self, url: str) -> int | None:
        blog = self.ledger.blog_for(url)
        return blog.run_id if blog is not None else None

    def _start_ticker(self) -> None:
        if self._ticker is None:
            self._ticker = asyncio.get_running_loop().create_task(self._tick())

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(self.batch_seconds)
            retry_unplaced = bool(self.unplaced) and self._unplaced_rounds < _UNPLACED_ROUNDS
            if not (self.pending.size or len(self.sightings) or retry_unplaced):
                continue
            try:
                await self.flush()
            except Exception as error:  # noqa: BLE001 - the timer must outlive one bad batch
                # The batch was written or kept by flush(); only its after-work failed.
                logger.error("store batch: %s", str(error).splitlines()[0])

    async def flush(self) -> bool:
        """Write everything pending; return False (keeping it) when the database failed.

        Flushes run one at a time, in call order. The write and the counting of its outcomes
        run to their end even when the caller is cancelled (close stops the batch timer, maybe
        mid-write): the worker thread cannot be stopped, so a cancelled await would otherwise
        leave a batch stored but never counted.
        """
        write = asyncio.ensure_future(self._write_pending())
        self._writes.add(write)
        write.add_done_callback(self._writes.discard)
        return await asyncio.shield(write)

    async def _write_pending(self) -> bool:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            batch, self.pending = self.pending, Batch()
            held, self._held = self._held, set()
            batch.seen |= self.sightings.take()
            if not batch.size and not batch.seen and not self.unplaced:
                self._release(held)
                return True
            # Comments whose post a later batch may have stored ride along, uncounted.
            batch.comments[:0], self.unplaced = self.unplaced, []
            # The crawl writes only its own blogs (defence in depth behind the parse stage).
            blogs = self.ledger.home_urls_by_run()
            try:
                result = await asyncio.to_thread(
                    self.database.transaction,
                    lambda session: write_batch(
                        session,
                        batch,
                        parser_version=PARSER_VERSION,
                        blogs_of_run=blogs,
                    ),
                )
            except (SQLAlchemyError, DatabaseUnavailableError) as error:
                batch.merge(self.pending)
                self.pending = batch
                self._release(held & self._held)  # held twice meanwhile: once is enough
                self._held |= held
                self.stats.inc_value("store/write_failures")
                logger.error(
                    "cannot write %d records to %s (%s); kept, will retry",
                    batch.size,
                    self.database.redacted_url,
                    str(error).splitlines()[0],
                )
                return False
            self._account(result)  # counted first: the release may let another worker close
            self._release(held - self._keep_unplaced_held(held))
            return True

    def _keep_unplaced_held(self, held: set[int]) -> set[int]:
        """Carry the holds of runs whose feed comments wait for their post; return those runs.

        They stay held (into the next batch's holds) for ``_UNPLACED_ROUNDS`` writes, so that
        no worker closes the run, and counts its comments, before they are placed.
        """
        self._unplaced_rounds = self._unplaced_rounds + 1 if self.unplaced else 0
        if not self.unplaced or self._unplaced_rounds >= _UNPLACED_ROUNDS:
            return set()  # the last retry (the ticker stops there): let the run go
        waiting = {self._run_of(listing.post_url) for listing in self.unplaced if listing.post_url}
        kept = (held & {run for run in waiting if run is not None}) - self._held
        self._held |= kept
        return kept

    def _account(self, result: WriteResult) -> None:
        stats = self.stats
        for post, outcome in result.outcomes:
            stats.inc_value(f"posts/{outcome.value}")
            url = post.source_url or post.url
            self.ledger.count(url, _OUTCOME_KEYS[outcome])
            if outcome in _STORED:
                self.ledger.count(url, "stored")
                if _built_from_feed(post):
                    self.ledger.count(url, "from_feed")
        for page in result.rejects:
            key = "failed" if is_fetch_failure(page) else "rejected"
            stats.inc_value(f"posts/{key}_stored")
            self.ledger.count(page.url, key)
        if result.counts_refreshed:
            stats.inc_value("posts/comment_counts_refreshed", result.counts_refreshed)
        if result.seen_marked:
            stats.inc_value("store/last_seen_moved", result.seen_marked)
        if result.deleted_marked:
            stats.inc_value("posts/deleted_marked", result.deleted_marked)
        if result.comments is not None:
            self._account_comments(result.comments)

    def _account_comments(self, written: CommentWrite) -> None:
        for key, amount in (
            ("comments/inserted", written.inserted),
            ("comments/updated", written.updated),
            ("comments/unchanged", written.unchanged),
            ("comments/deleted", written.deleted),
            ("comments/skipped_no_id", written.skipped),
            ("comments/refused_other_blog", written.refused),
        ):
            if amount:
                self.stats.inc_value(key, amount)
        self.unplaced.extend(written.unplaced)

    async def close_spider(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            try:
                await self._ticker
            except asyncio.CancelledError:
                pass
            except Exception as error:  # noqa: BLE001 - the batch in hand is written below
                # A timer that died must not take the batch in hand with it.
                logger.error("store batch timer failed: %s", str(error).splitlines()[0])
        # A write the timer started goes on after its cancel: let it finish and be counted
        # before the final flush (which would queue behind it anyway, on the lock).
        if self._writes:
            await asyncio.gather(*self._writes)
        for attempt in range(_CLOSE_ATTEMPTS):
            if await self.flush():
                self._report_unplaced()
                return
            await asyncio.sleep(self.retry_pause * (attempt + 1))
        self.ledger.storage_failed = True
        self.spool(self.pending)
        # Spooled (or lost, and said so): nothing of this crawl will reach the database now.
        held, self._held = self._held, set()
        self._release(held)

    def _report_unplaced(self) -> None:
        """Say how many feed comments never found their post (not stored: nothing to hang on)."""
        if self.unplaced:
            count = sum(len(listing.comments) for listing in self.unplaced)
            self.stats.inc_value("comments/unplaced", count)
            logger.warning(
                "%d comments of %d posts not stored: their posts are not in the database",
                count,
                len(self.unplaced),
            )
            self.unplaced = []

    def spool(self, batch: Batch) -> Path | None:
        """Write ``batch`` to a spool file and say where; return its path (``None``: lost).

        The data dir's spool folder first, then the fallbacks of
        :func:`~storage.spool.fallback_spool_dirs`, each named when used. When no
        place takes the file, the error says exactly what was lost and the ledger keeps the
        count, so the crawl exits non-zero.
        """
        attempt = spool_anywhere([self.spool_dir, *fallback_spool_dirs()], batch)
        where = self.database.redacted_url
        if attempt.path is None:
            self.ledger.records_lost += batch.size
            logger.error(
                "database %s unusable and no spool folder writable (%s): LOST %s",
                where,
                "; ".join(attempt.failures),
                describe_lost(batch),
            )
        elif attempt.failures:
            logger.error(
                "database %s unusable and spool folder %s; %d unwritten records saved to the "
                "fallback spool file %s (load it with: blogingest db load-spool FILE)",
                where,
                "; ".join(attempt.failures),
                batch.size,
                attempt.path,
            )
        else:
            logger.error(
                "database %s unusable: %d unwritten records saved to %s",
                where,
                batch.size,
                attempt.path,
            )
        return attempt.path
