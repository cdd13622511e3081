"""End to end: a crawl stores every comment of every post, from the feed or the page thread.

The fake blog holds every kind of comment (threaded replies, anonymous commenters, profile
links, removed comments, non-English text) and a post with more than the 200 comments its
page shows. With the comments feed on, the whole thread of every post is stored; with it off,
the page threads are (a thread longer than its page is read from the post's own feed, where
that one is served); ``--no-comments`` stores none.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from storage.comments import MISSING, NOTICE
from storage.models import Comment, CrawlRun, Post
from tests.fakeblog import BlogSpec, FakeBlogger, serve
from tests.fakeblog.posts import PAGE_COMMENT_LIMIT
from tests.support.crawl import migrated_sqlite, run_crawl

pytestmark = pytest.mark.slow

HOST = "fake-comments.blogspot.com"


def _site(**spec: object) -> FakeBlogger:
    fields: dict[str, object] = {
        "posts": 8,
        "comment_kinds": True,
        "big_thread": 230,
        "feed_cap": 150,
        "comments_off_ratio": 0.0,
    }
    fields.update(spec)
    return FakeBlogger([BlogSpec(HOST, theme="layouts", **fields)])  # type: ignore[arg-type]


def _stored(database_url: str) -> dict[str, tuple]:
    engine = create_engine(database_url)
    with Session(engine) as session:
        rows = session.execute(
            select(
                Comment.blogger_comment_id,
                Post.blogger_post_id,
                Comment.parent_blogger_comment_id,
                Comment.author,
                Comment.author_url,
                Comment.published_at,
                Comment.paragraphs,
                Comment.deletion,
                Comment.source,
            ).join(Post, Post.id == Comment.post_id)
        ).all()
    engine.dispose()
    return {row[0]: tuple(row[1:]) for row in rows}


def _run_counts(database_url: str) -> dict:
    engine = create_engine(database_url)
    with Session(engine) as session:
        counts = session.scalars(select(CrawlRun.counts).order_by(CrawlRun.id.desc())).first()
    engine.dispose()
    return counts or {}


def _crawl(site: FakeBlogger, tmp_path: Path, database_url: str, *extra: str) -> None:
    with serve(site) as server:
        done = run_crawl(
            [f"http://{HOST}/", *extra],
            database_url=database_url,
            data_dir=tmp_path,
            proxy_url=server.proxy_url,
            timeout=300,
        )
    assert done.returncode == 0, done.stderr[-3000:]


def test_a_crawl_stores_every_comment_of_every_post_from_the_feed(tmp_path: Path) -> None:
    site = _site()
    database_url = migrated_sqlite(tmp_path)
    _crawl(site, tmp_path, database_url)
    stored = _stored(database_url)
    blog = site.blogs[0]
    expected = {c.comment_id: (post, c) for post in blog.posts for c in post.comments}
    assert set(stored) == set(expected)
    for comment_id, (post, fake) in expected.items():
        post_id, parent, author, author_url, published, paragraphs, deletion, source = stored[
            comment_id
        ]
        assert (post_id, parent, author, author_url) == (
            post.post_id,
            fake.parent_id,
            fake.author,
            fake.author_url,
        )
        assert published == fake.published
        assert paragraphs == fake.paragraphs
        assert deletion == (NOTICE if fake.deleted else None)
        assert source == "feed"
    counts = _run_counts(database_url)
    shown = sum(post.comment_count or 0 for post in blog.posts)
    assert (counts["comments_held"], counts["comments_shown"]) == (shown, shown)


def test_with_the_comments_feed_off_the_page_threads_are_stored(tmp_path: Path) -> None:
    site = _site(comments_feed=False)
    database_url = migrated_sqlite(tmp_path)
    _crawl(site, tmp_path, database_url)
    stored = _stored(database_url)
    blog = site.blogs[0]
    big = next(post for post in blog.posts if post.comment_count == 230)
    expected = {
        c.comment_id
        for post in blog.posts
        for c in (post.comments[:PAGE_COMMENT_LIMIT] if post is big else post.comments)
    }
    assert set(stored) == expected
    assert {row[-1] for row in stored.values()} == {"page"}
    counts = _run_counts(database_url)
    assert counts["comments_shown"] - counts["comments_held"] == 30


def test_with_only_the_blog_wide_feed_off_a_long_thread_is_read_from_its_posts_feed(
    tmp_path: Path,
) -> None:
    site = _site(comments_feed=False, post_comments_feeds=True)
    database_url = migrated_sqlite(tmp_path)
    _crawl(site, tmp_path, database_url)
    stored = _stored(database_url)
    blog = site.blogs[0]
    big = next(post for post in blog.posts if post.comment_count == 230)
    assert set(stored) == {c.comment_id for post in blog.posts for c in post.comments}
    for fake in big.comments:
        _, parent, author, _, published, paragraphs, deletion, _ = stored[fake.comment_id]
        assert (parent, author, published, paragraphs) == (
            fake.parent_id,
            fake.author,
            fake.published,
            fake.paragraphs,
        )
        assert deletion == (NOTICE if fake.deleted else None)
    # The posts the page shows whole keep their page threads: only the long one's feed is read.
    sources = {post_id for post_id, *_, source in stored.values() if source == "feed"}
    assert sources == {big.post_id}
    counts = _run_counts(database_url)
    assert counts["comments_shown"] == counts["comments_held"]


def test_a_comment_gone_from_a_whole_feed_read_is_marked_deleted(tmp_path: Path) -> None:
    site = _site(big_thread=0)
    database_url = migrated_sqlite(tmp_path)
    _crawl(site, tmp_path, database_url)
    post = next(p for p in site.blogs[0].posts if len(p.comments) > 2)
    gone = post.comments.pop(1)
    post.comment_count = len(post.comments)
    site.blogs[0].generation += 1
    _crawl(site, tmp_path, database_url, "--full")
    stored = _stored(database_url)
    assert stored[gone.comment_id][6] == MISSING
    assert stored[gone.comment_id][5] == gone.paragraphs


def test_no_comments_stores_none(tmp_path: Path) -> None:
    site = _site(big_thread=0)
    database_url = migrated_sqlite(tmp_path)
    _crawl(site, tmp_path, database_url, "--no-comments")
    assert _stored(database_url) == {}


def test_the_comments_option_reads_like_every_crawl_flag() -> None:
    from crawler.crawl_options import CrawlOptionError, crawl_options  # noqa: PLC0415

    blog = f"http://{HOST}/"
    assert crawl_options(blogs=blog).comments is True
    assert crawl_options(blogs=blog, comments="0").comments is False
    assert crawl_options(blogs=blog, comments=False).comments is False
    with pytest.raises(CrawlOptionError, match="comments must be yes or no"):
        crawl_options(blogs=blog, comments="maybe")


def test_a_schedule_turns_comments_off_per_blog_with_the_crawl_flag() -> None:
    from scheduler.jobs import option_arguments  # noqa: PLC0415

    assert option_arguments({"no_comments": True}) == ["--no-comments"]


def test_a_recrawl_stores_a_new_comment_from_the_feed_read_since_the_last_run(
    tmp_path: Path,
) -> None:
    site = _site(big_thread=0)
    database_url = migrated_sqlite(tmp_path)
    _crawl(site, tmp_path, database_url)
    post = site.blogs[0].posts[2]
    added = site.blogs[0].add_comment(post.post_id, text="Gracias, ¡muy útil!")
    _crawl(site, tmp_path, database_url)
    stored = _stored(database_url)
    assert stored[added.comment_id][0] == post.post_id
    assert stored[added.comment_id][5] == ["Gracias, ¡muy útil!"]
    assert len(stored) == sum(len(p.comments) for p in site.blogs[0].posts)
