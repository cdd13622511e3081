"""A double fault is said out loud (issue 10, item 8): database down AND spool folder unusable.

The store stage then spools to a fallback folder and names it; when no folder takes the file,
it says exactly how many posts were lost and the crawl's exit code is 1. Never a traceback.
"""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler
from sqlalchemy import create_engine, text

from blogingest.cli import main
from crawler.items import BlogPost, RejectedPage, RejectKind
from crawler.pipelines.store import StorePostPipeline
from storage.migrate import upgrade
from tests.fakeblog import BlogSpec, FakeBlogger, Fault, FaultKind, serve
from tests.support.crawl import LOOPBACK_SETTINGS, ROOT, crawl_env, stored_posts
from tests.support.postgres import _run as run_as_owner
from tests.support.postgres import postgres_bin_dir, running_postgres


def _records() -> list[object]:
    posts = [
        BlogPost(
            url=f"https://x.blogspot.com/2024/01/p{n}.html", title=f"P{n}", body_paragraphs=["b"]
        )
        for n in range(45)
    ]
    gone = RejectedPage(
        url="https://x.blogspot.com/2024/01/gone.html",
        reason="HTTP 404",
        kind=RejectKind.FETCH_FAILED,
        status=404,
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


def test_the_temp_dir_is_the_last_resort_in_a_private_folder_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("no state directory here")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocked))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    with caplog.at_level(logging.ERROR):
        stage, _ = _store_with_database_down(tmp_path)
    (folder,) = (tmp_path / "tmp").glob("blogingest-spool-*")
    assert folder.stat().st_mode & 0o777 == 0o700
    (spool,) = folder.glob("crawl-*.jsonl")
    assert f"saved to the fallback spool file {spool}" in caplog.records[-1].getMessage()
    assert stage.ledger.records_lost == 0


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
    for place in ("data-is-a-file/spool", "blocked/blogingest/spool", "blocked/blogingest-spool-*"):
        assert place in message
    assert not any(record.exc_info for record in caplog.records)  # said, not a traceback
    assert stage.ledger.records_lost == 46
    stage.ledger.add_blog("http://x.blogspot.com/").status = "success"
    assert stage.ledger.exit_code() == 1


def _pg_ctl(data: Path, *args: str) -> None:
    bin_dir = postgres_bin_dir()
    assert bin_dir is not None
    run_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), *args], data.parent)


@pytest.mark.slow
def test_postgres_stopping_mid_crawl_with_the_spool_folder_unusable_loses_nothing(
    tmp_path: Path,
) -> None:
    """The issue's case end to end: PostgreSQL stops mid-crawl, the data dir is a file."""
    if postgres_bin_dir() is None:
        pytest.skip("PostgreSQL server binaries not installed")
    site = FakeBlogger([BlogSpec("victim.blogspot.com", posts=40)])
    blog = site.blog("victim.blogspot.com")
    for post in blog.posts[12:]:  # fetched while the database is down
        blog.set_fault(post, Fault(FaultKind.SLOW, delay=3.0))
    blocked, temp = tmp_path / "blocked", tmp_path / "tmp"
    blocked.write_text("a file where folders should be")
    temp.mkdir()
    with running_postgres() as url:
        upgrade(url)
        engine = create_engine(url)
        with engine.connect() as connection:
            data = Path(str(connection.execute(text("SHOW data_directory")).scalar()))
        engine.dispose()
        with serve(site) as server:
            env = crawl_env(url, server.proxy_url, blocked)
            env.update(XDG_STATE_HOME=str(blocked), TMPDIR=str(temp))
            command = [sys.executable, "-m", "blogingest", "crawl", "http://victim.blogspot.com/"]
            command += [*LOOPBACK_SETTINGS, "-s", "STORE_RETRY_PAUSE_SECONDS=0"]
            crawl = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            deadline = time.monotonic() + 60
            while len(stored_posts(url)) < 12 and time.monotonic() < deadline:
                time.sleep(0.1)
            # A clean stop: the test cluster runs with synchronous_commit=off, so a crash
            # (immediate) stop would itself lose the last commits the crawl made.
            _pg_ctl(data, "-m", "fast", "-w", "stop")
            _, stderr = crawl.communicate(timeout=120)
        port = url.rsplit(":", 1)[1].split("/", 1)[0]
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={data.parent}"
        )
        _pg_ctl(data, "-o", options, "-l", str(data.parent / "restart.log"), "-w", "start")
        assert crawl.returncode == 1
        assert "Traceback" not in stderr
        (spool,) = temp.glob("blogingest-spool-*/crawl-*.jsonl")
        assert f"saved to the fallback spool file {spool}" in stderr
        assert main(["db", "load-spool", str(spool), "--db", url]) == 0
        assert set(stored_posts(url)) == set(site.expected_posts())
