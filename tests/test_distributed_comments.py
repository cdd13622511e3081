"""Comments in a shared crawl, end to end: two workers, real Redis and PostgreSQL on 127.0.0.1.

Two blogs go through one shared crawl, queued as a user queues them
(``blogingest worker --enqueue``), one of them with ``--no-comments``: that blog gets no
comment stored, though its pages show threads and the same workers store the other blog's.
The other blog's blog-wide comments feed is off and one of its posts has more comments (230)
than a page shows: its own feed is read, whichever worker read the post-feed page that named
it (tests/test_crawl_long_threads.py hands that page between workers on purpose). Each run
records the comments held against those shown, counted from the database when the run closes,
whichever workers stored them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from blogingest.cli import main
from storage.models import Blog, Comment, Post
from tests.fakeblog import BlogSpec, FakeBlogger, serve
from tests.support.crawl import crawl_runs
from tests.support.distributed import (
    fresh_redis,
    fresh_schema,
    running_workers,
    runs_closed,
    wait_for,
)
from tests.support.postgres import postgres_url  # noqa: F401 - the fixture, by name
from tests.support.redis_server import redis_url  # noqa: F401 - the fixture, by name

pytestmark = [pytest.mark.slow, pytest.mark.redis, pytest.mark.postgres]

WITH = "with-comments.blogspot.com"
WITHOUT = "without-comments.blogspot.com"


def _comments_by_blog(database_url: str) -> dict[str, set[str]]:
    engine = create_engine(database_url)
    with Session(engine) as session:
        rows = session.execute(
            select(Blog.url, Comment.blogger_comment_id)
            .join(Post, Post.id == Comment.post_id)
            .join(Blog, Blog.id == Post.blog_id)
        ).all()
    engine.dispose()
    found: dict[str, set[str]] = {}
    for blog_url, comment_id in rows:
        found.setdefault(blog_url, set()).add(comment_id)
    return found


def _started(workdir: Path, workers: dict[str, object]) -> bool:
    return all(
        "Spider opened" in (workdir / f"{name}.log").read_text(errors="replace") for name in workers
    )


def test_two_blogs_in_one_shared_crawl_one_with_comments_off(
    redis_url: str,  # noqa: F811 - the imported fixture
    postgres_url: str,  # noqa: F811 - the imported fixture
    tmp_path: Path,
) -> None:
    fresh_schema(postgres_url)
    fresh_redis(redis_url)
    common = {"theme": "layouts", "posts": 30, "comment_kinds": True, "comments_off_ratio": 0.0}
    site = FakeBlogger(
        [
            BlogSpec(
                WITH,
                big_thread=230,
                comments_feed=False,
                post_comments_feeds=True,
                **common,  # type: ignore[arg-type]
            ),
            BlogSpec(WITHOUT, **common),  # type: ignore[arg-type]
        ]
    )
    with (
        serve(site) as blog_server,
        running_workers(
            2,
            redis_url=redis_url,
            database_url=postgres_url,
            proxy_url=blog_server.proxy_url,
            workdir=tmp_path,
            stall=600,
        ) as workers,
    ):
        # Both workers take part: on a loaded machine one may start long after the other.
        wait_for(lambda: _started(tmp_path, workers), timeout=120, what="both workers to start")
        assert main(["worker", "--redis", redis_url, "--enqueue", f"http://{WITH}/"]) == 0
        enqueue_off = ["worker", "--redis", redis_url, "--enqueue", f"http://{WITHOUT}/"]
        assert main([*enqueue_off, "--no-comments"]) == 0
        wait_for(lambda: runs_closed(postgres_url, 2), timeout=240, what="both runs to close")
    # Which worker handles which request is the queue's choice (often one worker takes both
    # blogs: the switch must then differ within one worker); the outcome is the same.
    with_blog, without_blog = site.blogs
    stored = _comments_by_blog(postgres_url)
    assert f"https://{WITHOUT}/" not in stored
    expected = {c.comment_id for post in with_blog.posts for c in post.comments}
    assert stored[f"https://{WITH}/"] == expected  # the 230 of the long thread too
    assert max(len(post.comments) for post in with_blog.posts) == 230
    runs = {run.blog_url: run for run in crawl_runs(postgres_url)}
    assert [run.status for run in runs.values()] == ["success", "success"]
    shown_with = sum(post.comment_count or 0 for post in with_blog.posts)
    shown_without = sum(post.comment_count or 0 for post in without_blog.posts)
    assert shown_without > 0  # its pages showed threads, and none was stored
    counts_with = runs[f"https://{WITH}/"].counts
    counts_without = runs[f"https://{WITHOUT}/"].counts
    assert (counts_with["comments_held"], counts_with["comments_shown"]) == (
        shown_with,
        shown_with,
    )
    assert (counts_without["comments_held"], counts_without["comments_shown"]) == (
        0,
        shown_without,
    )
