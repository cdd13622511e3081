"""`blogingest crawl URL --list`: discovery only, the posts a run would fetch, nothing stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from storage.models import CrawlRun, FetchState, Post, RejectedPageRow
from tests.fakeblog import BlogSpec, FakeBlogger, serve
from tests.support.crawl import migrated_sqlite, run_crawl

pytestmark = pytest.mark.slow
HOST = "fake-dryrun.blogspot.com"


def _rows(db: str) -> dict[str, int]:
    engine = create_engine(db)
    try:
        with engine.connect() as connection:
            return {
                model.__tablename__: connection.execute(
                    select(func.count()).select_from(model)
                ).scalar_one()
                for model in (Post, CrawlRun, RejectedPageRow, FetchState)
            }
    finally:
        engine.dispose()


def test_list_prints_what_a_run_would_fetch_and_stores_nothing(tmp_path: Path) -> None:
    site = FakeBlogger([BlogSpec(HOST, posts=12)])
    expected = {post.url for post in site.blog(HOST).posts}
    db = migrated_sqlite(tmp_path)
    with serve(site) as server:
        listed = run_crawl(
            [f"http://{HOST}/", "--list"],
            database_url=db,
            data_dir=tmp_path,
            proxy_url=server.proxy_url,
        )
        assert listed.returncode == 0, listed.stderr
        assert set(listed.stdout.split()) == expected
        assert listed.stderr.strip().splitlines() == [
            f"https://{HOST}/: found 12 posts; a run would fetch 12; nothing stored"
        ]
        post_pages = [r for r in server.requests if r.path.endswith(".html")]
        assert post_pages == []  # discovery only
        assert _rows(db) == {"posts": 0, "crawl_runs": 0, "rejected_pages": 0, "fetch_state": 0}

        run_crawl(
            [f"http://{HOST}/", "--max-posts", "4"],
            database_url=db,
            data_dir=tmp_path,
            proxy_url=server.proxy_url,
        )
        again = run_crawl(
            [f"http://{HOST}/", "--list"],
            database_url=db,
            data_dir=tmp_path,
            proxy_url=server.proxy_url,
        )
    assert len(again.stdout.split()) == 8  # the four stored posts are not fetched again
    assert "a run would fetch 8, skip 4" in again.stderr
    assert _rows(db)["crawl_runs"] == 1  # the real run's record only


def test_list_refuses_a_run_id(tmp_path: Path) -> None:
    db = migrated_sqlite(tmp_path)
    result = run_crawl(
        ["https://x.blogspot.com/", "--list", "--run-id", "1"], database_url=db, data_dir=tmp_path
    )
    assert result.returncode == 2
    assert "--list is a dry run" in result.stderr
