"""End to end: a deleted post is marked ``deleted_at`` (and the cursor sees it) only after a
complete feed listing and a 404/410 page; it comes back to life when it reappears."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from storage.models import Post
from tests.fakeblog import BlogSpec, FakeBlogger, Fault, FaultKind, serve
from tests.support.crawl import migrated_sqlite, run_crawl

pytestmark = pytest.mark.slow

HOST = "deletions.blogspot.com"
BLOG = f"http://{HOST}/"


def _rows(database_url: str) -> dict[str, tuple[object, int]]:
    """Canonical URL → (``deleted_at``, ``change_seq``) of every stored post."""
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            rows = session.execute(select(Post.url, Post.deleted_at, Post.change_seq))
            return {url: (deleted_at, seq) for url, deleted_at, seq in rows}
    finally:
        engine.dispose()


def _cursor(database_url: str, last_seen: int) -> dict[str, object]:
    """The README's poll (``change_seq >= :last_seen``): URL → ``deleted_at`` of what changed."""
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            rows = session.execute(
                select(Post.url, Post.deleted_at)
                .where(Post.change_seq >= last_seen)
                .order_by(Post.change_seq)
            )
            return {url: deleted_at for url, deleted_at in rows}
    finally:
        engine.dispose()


def _crawl(database_url: str, directory: Path, proxy_url: str, *flags: str) -> None:
    process = run_crawl(
        [BLOG, *flags], database_url=database_url, data_dir=directory, proxy_url=proxy_url
    )
    assert process.returncode == 0, process.stderr[-3000:]


@pytest.mark.parametrize(
    "flags",
    [("--full",), (), ("--source", "auto")],
    ids=["full", "incremental", "incremental-feed-first"],
)
def test_a_deleted_post_is_marked_seen_by_the_cursor_and_revived_when_it_returns(tmp_path, flags):
    site = FakeBlogger([BlogSpec(HOST, posts=14, feed_cap=5)])
    blog = site.blogs[0]
    database_url = migrated_sqlite(tmp_path)
    with serve(site) as server:
        _crawl(database_url, tmp_path, server.proxy_url, *flags)
        first = _rows(database_url)
        assert len(first) == 14
        assert all(deleted_at is None for deleted_at, _ in first.values())
        last_seen = max(seq for _, seq in first.values())

        missing, gone = blog.posts[3], blog.posts[9]
        blog.delete_post(missing.post_id, status=404)
        blog.delete_post(gone.post_id, status=410)
        server.reset_log()
        _crawl(database_url, tmp_path, server.proxy_url, *flags)
        second = _rows(database_url)
        deleted = {url for url, (deleted_at, _) in second.items() if deleted_at is not None}
        assert deleted == {missing.canonical_url, gone.canonical_url}
        # Only the two unlisted posts' pages were asked about deletion: one request each.
        assert server.count(path_prefix=missing.path) == 1
        # The consumers' cursor sees both deletions.
        changed = _cursor(database_url, last_seen + 1)
        assert {url for url, deleted_at in changed.items() if deleted_at is not None} == deleted

        blog.restore_post(missing)
        _crawl(database_url, tmp_path, server.proxy_url, *flags)
        third = _rows(database_url)
        assert third[missing.canonical_url][0] is None  # back to life
        assert third[missing.canonical_url][1] > second[missing.canonical_url][1]
        assert third[gone.canonical_url] == second[gone.canonical_url]  # not re-stamped
        revived = _cursor(database_url, max(seq for _, seq in second.values()) + 1)
        assert revived.get(missing.canonical_url, "absent") is None


def test_an_incomplete_listing_marks_nothing_deleted(tmp_path):
    site = FakeBlogger([BlogSpec(HOST, posts=14, feed_cap=5)])
    blog = site.blogs[0]
    database_url = migrated_sqlite(tmp_path)
    with serve(site) as server:
        _crawl(database_url, tmp_path, server.proxy_url)
        victim = blog.posts[12]
        blog.delete_post(victim.post_id)
        # The feed's second page fails every time: the listing never completes.
        blog.set_fault("/feeds/posts/default?start-index=6", Fault(FaultKind.FAIL_ONCE, times=99))
        server.reset_log()
        process = run_crawl(
            [BLOG, "--full"],
            database_url=database_url,
            data_dir=tmp_path,
            proxy_url=server.proxy_url,
        )
        assert server.count(path_prefix="/feeds/posts/default", status=500) >= 1
        assert server.count(path_prefix=victim.path) == 0  # no deletion check was made
    assert "feed" in process.stderr  # the failed page is reported
    assert all(deleted_at is None for deleted_at, _ in _rows(database_url).values())


def test_a_listed_post_whose_page_answers_404_is_not_deleted(tmp_path):
    site = FakeBlogger([BlogSpec(HOST, posts=8, feed_cap=5)])
    blog = site.blogs[0]
    database_url = migrated_sqlite(tmp_path)
    with serve(site) as server:
        _crawl(database_url, tmp_path, server.proxy_url)
        # Still in the feed, but its page is gone: the listing does not call it deleted.
        blog.set_fault(blog.posts[2], Fault(FaultKind.DELETED))
        run_crawl(
            [BLOG, "--full"],
            database_url=database_url,
            data_dir=tmp_path,
            proxy_url=server.proxy_url,
        )
    assert all(deleted_at is None for deleted_at, _ in _rows(database_url).values())
