"""Item pipeline stage: store posts, rejects and comment counts in batches, off the reactor.

Buffers :class:`~crawler.items.BlogPost`, :class:`~crawler.items.RejectedPage`,
:class:`~crawler.items.PostGone` and :class:`~crawler.crawl_items.CommentCountRefresh` items
and writes them in one transaction per batch (``STORE_BATCH_SIZE`` items, or every
``STORE_BATCH_SECONDS``), in a worker thread (``asyncio.to_thread``) so the crawl keeps
fetching meanwhile. Each post's outcome is counted
in ``crawler.stats`` (``posts/inserted|updated|unchanged|rejected``, ``posts/failed``) and on
its blog's run (:class:`~crawler.extensions.run_record.RunLedger`).

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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from crawler.crawl_items import CommentCountRefresh
from crawler.extensions.database import crawl_database
from crawler.extensions.run_record import RunLedger
from crawler.extensions.sightings import PostSightings
from crawler.items import BlogPost, PostComments, PostGone, RejectedPage
from crawler.parsing import PARSER_VERSION
from crawler.pipelines.batch import Batch
from crawler.pipelines.spool import fallback_spool_dirs, spool_anywhere
from crawler.urls import blog_home_url
from storage.blogs import blog_id_map
from storage.comments import CommentWrite, upsert_comments
from storage.database import DatabaseUnavailableError
from storage.deletions import mark_posts_deleted
from storage.repository import (
    Outcome,
    mark_seen,
    refresh_comment_counts,
    store_rejected,
    upsert_posts,
)

logger = logging.getLogger(__name__)

_OUTCOME_KEYS = {
    Outcome.INSERTED: "new",
    Outcome.UPDATED: "updated",
    Outcome.UNCHANGED: "unchanged",
    Outcome.REJECTED: "rejected",
}
_CLOSE_ATTEMPTS = 3  # writes tried at close before spooling
_BY_CRAWLER: WeakKeyDictionary[Any, StorePostPipeline] = WeakKeyDictionary()


@dataclass
class WriteResult:
    outcomes: list[tuple[BlogPost, Outcome]]
    rejects: list[RejectedPage]
    counts_refreshed: int
    seen_marked: int = 0
    comments: CommentWrite | None = None
    """What storing the batch's comments did (``None``: the batch carried none)."""
    deleted_marked: int = 0


def write_batch(
    session: Session,
    batch: Batch,
    blogs_of_run: Mapping[int | None, frozenset[str]] | None = None,
    *,
    comments: bool = True,
) -> WriteResult:
    """Write ``batch`` in the caller's transaction (never commits); return what happened.

    ``comments=False`` (a crawl told ``--no-comments``) stores no page thread of the posts.

    ``blogs_of_run``, when given, confines each run's posts to the blogs (canonical home
    URLs) of that run, and the posts of a run it does not name (one a worker has since
    replaced with a newer run of the blog) to the blogs of all its runs (see
    ``upsert_posts``).
    """
    outcomes: list[tuple[BlogPost, Outcome]] = []
    every_blog = frozenset().union(*blogs_of_run.values()) if blogs_of_run else frozenset()
    for run_id, posts in batch.posts.items():
        blogs = None if blogs_of_run is None else blogs_of_run.get(run_id, every_blog)
        results = upsert_posts(
            session, posts, run_id=run_id, parser_version=PARSER_VERSION, blogs=blogs
        )
        outcomes.extend(zip(posts, results, strict=True))
    rejects: list[RejectedPage] = []
    for run_id, pages in batch.rejects.items():
        store_rejected(session, pages, parser_version=PARSER_VERSION, run_id=run_id)
        rejects.extend(pages)
    refreshed = refresh_comment_counts(session, batch.counts) if batch.counts else 0
    threads = [
        page_comments(post)
        for post, outcome in outcomes
        if comments and outcome is not Outcome.REJECTED
    ]
    listings = [*threads, *batch.comments]
    written = upsert_comments(session, listings) if listings else None
    marked = mark_seen(session, batch.seen, datetime.now(UTC)) if batch.seen else 0
    return WriteResult(
        outcomes=outcomes,
        rejects=rejects,
        counts_refreshed=refreshed,
        seen_marked=marked,
        comments=written,
        deleted_marked=mark_gone(session, batch.gone),
    )


def mark_gone(session: Session, gone: Sequence[PostGone]) -> int:
    """Mark the posts of ``gone`` deleted, each only on its own blog; return how many changed.

    After the batch's posts: a post stored again in the same batch is revived first and then
    marked only if its page answered 404/410 later (it did, or it would not be here). A blog
    the database does not hold has no post to mark.
    """
    if not gone:
        return 0
    homes = {item.blog_url: blog_home_url(item.blog_url) for item in gone}
    blog_ids = blog_id_map(session, sorted(set(homes.values())))
    by_blog: dict[tuple[int, datetime], list[str]] = {}
    for item in gone:
        blog_id = blog_ids.get(homes[item.blog_url])
        if blog_id is not None:
            by_blog.setdefault((blog_id, item.checked_at), []).append(item.url)
    return sum(
        mark_posts_deleted(session, blog_id, urls, at) for (blog_id, at), urls in by_blog.items()
    )


def page_comments(post: BlogPost) -> PostComments:
    """Return the comment thread ``post``'s page showed, as a listing for the comments table.

    It is complete (so that a stored comment it lacks is marked deleted) only when the page
    held the whole thread and the thread has as many comments as the page's count says: a
    thread the parser read only in part must never delete anything.
    """
    whole = not post.comments_partial and post.comment_count == len(post.comments)
    return PostComments(
        post_url=post.url,
        blog_id=post.blog_id,
        post_id=post.post_id,
        comments=list(post.comments),
        source="page",
        complete=whole,
    )


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
        """Feed comments whose post was not stored yet: retried with each later batch."""
        self._lock: asyncio.Lock | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._writes: set[asyncio.Future[bool]] = set()  # started, not yet finished (shielded)

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
        if isinstance(item, BlogPost):
            self.pending.posts.setdefault(self._run_of(item.source_url or item.url), []).append(
                item
            )
        elif isinstance(item, RejectedPage):
            self.pending.rejects.setdefault(self._run_of(item.url), []).append(item)
        elif isinstance(item, CommentCountRefresh):
            self.pending.counts.update(item.counts)
        elif isinstance(item, PostGone):
            self.pending.gone.append(item)
        elif isinstance(item, PostComments):
            self.pending.comments.append(item)
        else:
            return item
        self.pending.size += 1
        self._start_ticker()
        if self.pending.size >= self.batch_size:
            await self.flush()
        return item

    def _comments_stored(self) -> bool:
        """Whether the crawl stores comments (its spider's ``comments`` option; default on)."""
        options = getattr(getattr(self.crawler, "spider", None), "options", None)
        return bool(getattr(options, "comments", True))

    def _run_of(self, url: str) -> int | None:
        blog = self.ledger.blog_for(url)
        return blog.run_id if blog is not None else None

    def _start_ticker(self) -> None:
        if self._ticker is None:
            self._ticker = asyncio.get_running_loop().create_task(self._tick())

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(self.batch_seconds)
            if not (self.pending.size or len(self.sightings)):
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
            batch.seen |= self.sightings.take()
            if not batch.size and not batch.seen and not self.unplaced:
                return True
            # Comments whose post a later batch may have stored ride along, uncounted.
            batch.comments[:0], self.unplaced = self.unplaced, []
            # The crawl writes only its own blogs (defence in depth behind the parse stage).
            blogs = self.ledger.home_urls_by_run()
            try:
                result = await asyncio.to_thread(
                    self.database.transaction,
                    lambda session: write_batch(
                        session, batch, blogs, comments=self._comments_stored()
                    ),
                )
            except (SQLAlchemyError, DatabaseUnavailableError) as error:
                batch.merge(self.pending)
                self.pending = batch
                self.stats.inc_value("store/write_failures")
                logger.error(
                    "cannot write %d records to %s (%s); kept, will retry",
                    batch.size,
                    self.database.redacted_url,
                    str(error).splitlines()[0],
                )
                return False
            self._account(result)
            return True

    def _account(self, result: WriteResult) -> None:
        stats = self.stats
        for post, outcome in result.outcomes:
            stats.inc_value(f"posts/{outcome.value}")
            self.ledger.count(post.source_url or post.url, _OUTCOME_KEYS[outcome])
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
        :func:`~crawler.pipelines.spool.fallback_spool_dirs`, each named when used. When no
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


def describe_lost(batch: Batch) -> str:
    """Say what ``batch`` holds, for a loss: ``45 posts, 2 rejected pages, 3 comment counts``.

    Feed comments, when the batch holds any, are named too (``, 120 comments``).
    """
    posts = sum(len(items) for items in batch.posts.values())
    rejects = sum(len(items) for items in batch.rejects.values())
    text = f"{posts} posts, {rejects} rejected pages, {len(batch.counts)} comment counts"
    comments = sum(len(listing.comments) for listing in batch.comments)
    text = f"{text}, {comments} comments" if comments else text
    return f"{text}, {len(batch.gone)} deleted posts" if batch.gone else text
