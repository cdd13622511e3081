"""A double fault is said out loud (issue 10, item 8): database down AND spool folder unusable.

The store stage then spools to a fallback folder and names it; when no folder takes the file,
it says exactly how many posts were lost and the crawl's exit code is 1. Never a traceback.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from pathlib import Path

import pytest
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from blogingest.cli import main
from crawler.items import BlogPost, RejectedPage
from crawler.pipelines.store import StorePostPipeline
from storage.migrate import upgrade
from tests.support.crawl import stored_posts


def _records() -> list[object]:
    posts = [
        BlogPost(
            url=f"https://x.blogspot.com/2024/01/p{n}.html", title=f"P{n}", body_paragraphs=["b"]
        )
        for n in range(45)
    ]
    gone = RejectedPage(
        url="https://x.blogspot.com/2024/01/gone.html", reason="HTTP 404", status=404
    )
    return [*posts, gone]


def _store_with_database_down(tmp_path: Path) -> tuple[StorePostPipeline, str]:
    """Run the store stage against an unmigrated database, its data dir being a plain file."""
    unusable_data_dir = tmp_path / "data-is-a-file"
    unusable_data_dir.write_text("not a folder")
    database = f"sqlite:///{tmp_path / 'down.db'}"
    crawler = get_crawler(
        settings_dict={
            "DATABASE_URL": database,
            "BLOGINGEST_DATA_DIR": str(unusable_data_dir),
            "STORE_RETRY_PAUSE_SECONDS": 0,
        }
    )
    stage = build_from_crawler(StorePostPipeline, crawler)

    async def run() -> None:
        for item in _records():
            await stage.process_item(item)
        await stage.close_spider()

    asyncio.run(run())
    return stage, database


def test_an_unusable_spool_folder_falls_back_to_the_state_dir_and_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    with caplog.at_level(logging.ERROR):
        stage, database = _store_with_database_down(tmp_path)
    (spool,) = (tmp_path / "state" / "blogingest" / "spool").glob("crawl-*.jsonl")
    message = caplog.records[-1].getMessage()
    assert "data-is-a-file/spool" in message
    assert f"46 unwritten records saved to the fallback spool file {spool}" in message
    assert stage.ledger.records_lost == 0
    assert stage.ledger.storage_failed  # the runs fail: the posts are not in the database yet

    upgrade(database)
    assert main(["db", "load-spool", str(spool), "--db", database]) == 0
    assert len(stored_posts(database)) == 45


def test_when_nothing_can_keep_them_the_lost_posts_are_counted_and_the_exit_is_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where every fallback folder would go")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocked))
    monkeypatch.setattr(tempfile, "tempdir", str(blocked))
    with caplog.at_level(logging.ERROR):
        stage, _ = _store_with_database_down(tmp_path)
    message = caplog.records[-1].getMessage()
    assert "no spool folder writable" in message
    assert message.endswith("LOST 45 posts, 1 rejected pages, 0 comment counts")
    for place in ("data-is-a-file/spool", "blocked/blogingest/spool", "blocked/blogingest-spool"):
        assert place in message
    assert not any(record.exc_info for record in caplog.records)  # said, not a traceback
    assert stage.ledger.records_lost == 46
    stage.ledger.add_blog("http://x.blogspot.com/").status = "success"
    assert stage.ledger.exit_code() == 1
