"""The crawl's pipeline stages built from a crawler, on their own."""

from __future__ import annotations

import asyncio
import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from blogingest.cli import main
from crawler.crawl_items import CommentCountRefresh, CrawledPage
from crawler.items import (
    BlogComment,
    BlogPost,
    FetchedPage,
    PostComments,
    RejectedPage,
    RejectKind,
)
from crawler.pipelines import store as store_module
from crawler.pipelines.parse import ParsePagePipeline
from crawler.pipelines.store import StorePostPipeline
from crawler.pipelines.validate import ValidatePostPipeline
from storage import batch as storage_batch
from storage import repository, runs
from storage.batch import Batch
from storage.migrate import upgrade
from storage.models import Post
from storage.repository import Outcome
from storage.spool import read_spool, write_spool
from tests.support.crawl import migrated_sqlite, rejected_urls, stored_posts

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
BAKERY_PATH = "harbour-bakery-notes.blogspot.com/2023/03/rye-starter-in-cold-kitchen.html"
BAKERY_URL = f"https://{BAKERY_PATH}"
FEED_TIME = datetime(2023, 3, 4, 7, 2, 11, 123000, tzinfo=UTC)


def bakery_page() -> CrawledPage:
    return CrawledPage(
        url=f"http://{BAKERY_PATH}",
        body=(SEEDS / BAKERY_PATH).read_bytes(),
        content_type="text/html; charset=UTF-8",
        feed_updated=FEED_TIME,
    )


def test_the_parse_stage_turns_a_page_into_a_post_carrying_its_raw_page_and_feed_time() -> None:
    crawler = get_crawler()
    stage = build_from_crawler(ParsePagePipeline, crawler)
    post = asyncio.run(stage.process_item(bakery_page()))
    assert isinstance(post, BlogPost)
    assert post.url == BAKERY_URL
    assert post.title == "Keeping a rye starter in a cold kitchen"
    assert post.updated == FEED_TIME
    assert post.raw_page is not None
    assert post.raw_page.body.startswith(b"<!DOCTYPE html>")
    assert crawler.stats.get_value("parse/posts") == 1


def test_the_parse_stage_rejects_a_non_post_with_its_bytes_and_passes_other_items() -> None:
    crawler = get_crawler()
    stage = build_from_crawler(ParsePagePipeline, crawler)
    listing = (SEEDS / "harbour-bakery-notes.blogspot.com/index.html").read_bytes()
    rejected = asyncio.run(
        stage.process_item(
            FetchedPage(url="http://harbour-bakery-notes.blogspot.com/", body=listing)
        )
    )
    assert isinstance(rejected, RejectedPage)
    assert rejected.reason.startswith("not a post")
    assert rejected.kind is RejectKind.NOT_A_POST
    assert rejected.body == listing
    other = CommentCountRefresh(source_url="http://x.blogspot.com/feeds/posts/default")
    assert asyncio.run(stage.process_item(other)) is other
    assert crawler.stats.get_value("parse/rejected") == 1


def test_the_parse_stage_gives_the_same_post_from_a_worker_process() -> None:
    inline = asyncio.run(
        build_from_crawler(ParsePagePipeline, get_crawler()).process_item(bakery_page())
    )
    stage = build_from_crawler(ParsePagePipeline, get_crawler(settings_dict={"PARSE_WORKERS": 1}))
    try:
        pooled = asyncio.run(stage.process_item(bakery_page()))
    finally:
        stage.close_spider()
    assert pooled == inline
    assert pooled.raw_page is not None


def test_the_validate_stage_turns_a_post_without_title_or_body_into_a_reject() -> None:
    crawler = get_crawler()
    stage = build_from_crawler(ValidatePostPipeline, crawler)
    raw = FetchedPage(url="http://x.blogspot.com/2024/01/empty.html", body=b"<html></html>")
    empty = BlogPost(url="https://x.blogspot.com/2024/01/empty.html", title=" ", raw_page=raw)
    rejected = stage.process_item(empty)
    assert isinstance(rejected, RejectedPage)
    assert rejected.reason == "invalid post: neither title nor body text"
    assert rejected.kind is RejectKind.INVALID
    assert rejected.body == b"<html></html>"
    fine = BlogPost(url="https://x.blogspot.com/2024/01/ok.html", title="Ok")
    assert stage.process_item(fine) is fine


async def _store(stage: StorePostPipeline, items: list[object]) -> None:
    for item in items:
        await stage.process_item(item)
    await stage.close_spider()


def test_the_store_stage_writes_posts_rejects_and_counts_them(tmp_path: Path) -> None:
    url = migrated_sqlite(tmp_path)
    crawler = get_crawler(settings_dict={"DATABASE_URL": url, "STORE_BATCH_SIZE": 2})
    post = asyncio.run(build_from_crawler(ParsePagePipeline, crawler).process_item(bakery_page()))
    failed = RejectedPage(
        url="http://x.blogspot.com/2024/01/gone.html",
        reason="HTTP 404",
        kind=RejectKind.FETCH_FAILED,
        status=404,
    )
    stage = build_from_crawler(StorePostPipeline, crawler)
    asyncio.run(_store(stage, [post, failed]))
    assert stored_posts(url)[BAKERY_URL].comment_count == 2
    assert rejected_urls(url) == {"http://x.blogspot.com/2024/01/gone.html": "HTTP 404"}
    assert crawler.stats.get_value("posts/inserted") == 1
    assert crawler.stats.get_value("posts/failed_stored") == 1


def test_an_unusable_database_loses_nothing_the_records_go_to_a_spool_file(tmp_path: Path) -> None:
    unmigrated = f"sqlite:///{tmp_path / 'empty.db'}"
    crawler = get_crawler(
        settings_dict={
            "DATABASE_URL": unmigrated,
            "BLOGINGEST_DATA_DIR": str(tmp_path),
            "STORE_RETRY_PAUSE_SECONDS": 0,
        }
    )
    post = asyncio.run(build_from_crawler(ParsePagePipeline, crawler).process_item(bakery_page()))
    stage = build_from_crawler(StorePostPipeline, crawler)
    asyncio.run(_store(stage, [post]))
    (spool,) = (tmp_path / "spool").glob("crawl-*.jsonl")
    records = [json.loads(line) for line in spool.read_text().splitlines()]
    assert [record["post"]["url"] for record in records] == [BAKERY_URL]
    assert stage.ledger.storage_failed

    # Once the database is usable again, the spool goes in as the crawl would have written it.
    upgrade(unmigrated)
    assert main(["db", "load-spool", str(spool), "--db", unmigrated]) == 0
    stored = stored_posts(unmigrated)[BAKERY_URL]
    assert (stored.title, stored.updated_at) == (post.title, FEED_TIME)
    engine = create_engine(unmigrated)
    with engine.connect() as connection:
        raw = connection.scalar(select(Post.raw_page).where(Post.url == BAKERY_URL))
    engine.dispose()
    assert raw  # the page's bytes came through the spool, for a later re-parse
    assert not spool.exists()  # renamed *.loaded, so it is never loaded twice
    assert spool.with_name(spool.name + ".loaded").exists()


def test_a_spool_file_keeps_every_record_with_its_bytes(tmp_path: Path) -> None:
    raw = FetchedPage(url="http://x.blogspot.com/2024/01/a.html", body=b"<html>\xff</html>")
    post = BlogPost(
        url="https://x.blogspot.com/2024/01/a.html",
        title="A",
        body_paragraphs=["one", "two"],
        published=FEED_TIME,
        labels=["tea"],
        raw_page=raw,
    )
    reject = RejectedPage(
        url="https://x.blogspot.com/b.html",
        reason="HTTP 404",
        kind=RejectKind.FETCH_FAILED,
        status=404,
    )
    batch = Batch(
        posts={7: [post]},
        rejects={None: [reject]},
        counts={"https://x.blogspot.com/c": 3},
        seen={"https://x.blogspot.com/d.html"},
        size=3,
    )
    records = read_spool(write_spool(tmp_path, batch))
    assert records == batch
    assert records.posts[7][0].raw_page == raw


def test_a_file_that_is_not_a_spool_is_refused_naming_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "crawl-x.jsonl"
    bad.write_text(
        '{"kind": "post", "run_id": null, "post": {"url": "u"}, "raw_page": null}\nnope\n'
    )
    url = migrated_sqlite(tmp_path)
    assert main(["db", "load-spool", str(bad), "--db", url]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        f"blogingest db: {bad}:2: not a spool record (JSONDecodeError: Expecting value: "
        "line 1 column 1 (char 0))"
    ]
    assert stored_posts(url) == {}  # nothing of a bad file is written


def test_closing_during_a_timer_write_waits_for_it_and_counts_every_post_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = migrated_sqlite(tmp_path)
    crawler = get_crawler(
        settings_dict={"DATABASE_URL": url, "STORE_BATCH_SECONDS": 0.01, "STORE_BATCH_SIZE": 100}
    )
    stage = build_from_crawler(StorePostPipeline, crawler)
    writing, release = threading.Event(), threading.Event()
    written: list[str] = []

    def slow_upsert(session: Session, posts: list[BlogPost], **kwargs: Any) -> list[Outcome]:
        # Runs in the store's worker thread: hold the timer's write until the test lets go.
        writing.set()
        assert release.wait(10)
        written.extend(post.url for post in posts)
        return repository.upsert_posts(session, posts, **kwargs)

    monkeypatch.setattr(storage_batch, "upsert_posts", slow_upsert)
    first, second = (
        BlogPost(url=f"https://x.blogspot.com/2024/01/{name}.html", title=name)
        for name in ("first", "second")
    )

    async def close_mid_write() -> bool:
        await stage.process_item(first)
        assert await asyncio.to_thread(writing.wait, 10)  # the timer's write is in flight
        await stage.process_item(second)
        closing = asyncio.ensure_future(stage.close_spider())
        await asyncio.sleep(0.1)
        closed_before_the_write_ended = closing.done()
        release.set()
        await closing
        return closed_before_the_write_ended

    assert not asyncio.run(close_mid_write())
    assert written == [first.url, second.url]
    assert set(stored_posts(url)) == {first.url, second.url}
    assert crawler.stats.get_value("posts/inserted") == 2
    assert crawler.stats.get_value("posts/unchanged") is None


class _RecordingSink:
    """Stands in for the distributed run accounting: records what the ledger sends it."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, object]] = []

    def hold(self, run_id: int, amount: int) -> None:
        self.calls.append(("hold", run_id, amount))

    def count(self, run_id: int, key: str, amount: int = 1) -> None:
        self.calls.append(("count", run_id, key))

    def error(self, run_id: int, message: str, *, fatal: bool = False) -> None:
        self.calls.append(("error", run_id, message))

    def note(self, run_id: int, message: str) -> None:
        self.calls.append(("note", run_id, message))


def _shared_store_stage(tmp_path: Path) -> tuple[StorePostPipeline, _RecordingSink, int]:
    """A store stage whose bakery blog has a stored run, and whose ledger reports to a sink."""
    url = migrated_sqlite(tmp_path)
    crawler = get_crawler(settings_dict={"DATABASE_URL": url, "STORE_BATCH_SIZE": 100})
    stage = build_from_crawler(StorePostPipeline, crawler)
    sink = _RecordingSink()
    stage.ledger.sink = sink
    engine = create_engine(url)
    with Session(engine) as session, session.begin():
        run_id = runs.start_run(session, blog_url="https://harbour-bakery-notes.blogspot.com/")
    engine.dispose()
    stage.ledger.add_blog("https://harbour-bakery-notes.blogspot.com/").run_id = run_id
    return stage, sink, run_id


def _parsed_bakery_post(stage: StorePostPipeline) -> Any:
    """The bakery page's post as the crawl's parse stage gives it to ``stage``."""
    return asyncio.run(
        build_from_crawler(ParsePagePipeline, stage.crawler).process_item(bakery_page())
    )


def _bakery_comments() -> PostComments:
    return PostComments(
        post_url=BAKERY_URL,
        comments=[BlogComment(id="7001", author="Ines", paragraphs=["Lovely crumb."])],
    )


def test_a_shared_run_is_held_from_its_first_record_in_a_batch_until_that_batch_is_written(
    tmp_path: Path,
) -> None:
    # Another worker closes a shared run once nothing is pending and it is quiet: a batch still
    # in hand here must keep it open, or its records would miss the run's record.
    stage, sink, run_id = _shared_store_stage(tmp_path)
    post = _parsed_bakery_post(stage)
    gone = RejectedPage(
        url="https://harbour-bakery-notes.blogspot.com/2024/01/gone.html",
        reason="HTTP 404",
        kind=RejectKind.FETCH_FAILED,
        status=404,
    )

    async def store() -> None:
        await stage.process_item(post)
        await stage.process_item(gone)
        assert sink.calls == [("hold", run_id, 1)]  # once for the batch, however many records
        assert await stage.flush()
        await stage.close_spider()

    asyncio.run(store())
    holds = [call for call in sink.calls if call[0] == "hold"]
    assert holds == [("hold", run_id, 1), ("hold", run_id, -1)]
    # The batch's outcomes are counted before the run is let go.
    assert sink.calls[-1] == ("hold", run_id, -1)
    assert ("count", run_id, "new") in sink.calls


def test_feed_comments_waiting_for_their_post_keep_its_run_held_until_they_are_placed(
    tmp_path: Path,
) -> None:
    # A worker may read a post's own comments feed before any worker stored the post: the
    # comments wait (unplaced) and are retried at each batch tick, holding the run open, so
    # the run's comments_held never misses them.
    stage, sink, run_id = _shared_store_stage(tmp_path)
    post = _parsed_bakery_post(stage)
    listing = _bakery_comments()

    def holds() -> list[int]:
        return [amount for kind, _, amount in sink.calls if kind == "hold"]  # type: ignore[misc]

    async def store() -> None:
        await stage.process_item(listing)
        assert await stage.flush()
        assert stage.unplaced == [listing]
        assert holds() == [1]  # still held: its comments are not placed
        await stage.process_item(post)
        assert await stage.flush()
        assert stage.unplaced == []
        assert holds() == [1, -1]  # placed with the post's batch, then let go
        await stage.close_spider()

    asyncio.run(store())


def test_feed_comments_whose_post_never_comes_let_their_run_go_after_the_last_retry(
    tmp_path: Path,
) -> None:
    # Comments of a post the run never stores (past --max-posts, say) must not hold it forever.
    stage, sink, run_id = _shared_store_stage(tmp_path)
    listing = _bakery_comments()

    async def store() -> None:
        await stage.process_item(listing)
        for _ in range(store_module._UNPLACED_ROUNDS):  # noqa: SLF001 - the bound under test
            assert await stage.flush()
        # Let go by the last retry itself: an idle worker writes nothing more until it closes.
        assert [amount for kind, _, amount in sink.calls if kind == "hold"] == [1, -1]
        await stage.close_spider()

    asyncio.run(store())
    assert [amount for kind, _, amount in sink.calls if kind == "hold"] == [1, -1]
    assert stage.unplaced == []  # reported at close: not stored, nothing to hang them on
