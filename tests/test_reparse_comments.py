"""``blogingest reparse`` stores the page threads of the pages it re-parses, as a crawl does.

Real fixture pages with comment threads are stored as a crawl without comments leaves them
(the posts and their kept pages, no comment). A reparse stores their threads, unless comments
are off: ``--no-comments`` for every blog, ``--schedule FILE`` for the blogs the schedule
crawls with ``no_comments``. A second reparse of the same pages changes no comment row (a
kept page is not a sighting on the web).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from blogingest.cli import main
from crawler.cleaning import clean_post
from crawler.crawl_items import CrawledPage
from crawler.items import BlogPost
from crawler.parsing import PARSER_VERSION
from crawler.pipelines.parse import parse_fetched
from storage.database import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models import Blog, Comment, Post
from storage.repository import upsert_posts
from tests.support.parsing_pages import FIXTURES, fixture_bytes

PAGES = ("classic", "threaded_no_number")


def _crawled(name: str) -> BlogPost:
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text())
    page = CrawledPage(
        url=expected["url"], body=fixture_bytes(f"{name}.html"), content_type="text/html"
    )
    post = parse_fetched(page)
    assert isinstance(post, BlogPost)
    return clean_post(post)


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'reparse.db'}"
    upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine).begin() as session:
        upsert_posts(session, [_crawled(name) for name in PAGES], parser_version=PARSER_VERSION)
    engine.dispose()
    return url


def _comments(url: str) -> dict[str, dict[str, Any]]:
    """Every comment row by blog home and comment id, every column."""
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        rows = session.execute(
            select(Blog.url, Comment).join(Post, Post.id == Comment.post_id).join(Blog)
        ).all()
        found = {
            f"{home} {row.blogger_comment_id}": {
                column.name: getattr(row, column.name) for column in Comment.__table__.columns
            }
            for home, row in rows
        }
    engine.dispose()
    return found


def _threads() -> dict[str, set[str]]:
    threads: dict[str, set[str]] = {}
    for name in PAGES:
        post = _crawled(name)
        assert post.comments
        assert post.blog_url
        threads[post.blog_url] = {comment.id for comment in post.comments if comment.id}
    return threads


def test_a_reparse_stores_the_page_threads_and_a_second_one_changes_no_comment(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _comments(db) == {}
    assert main(["reparse", "--db", db]) == 0
    expected = {f"{home} {cid}" for home, ids in _threads().items() for cid in ids}
    first = _comments(db)
    assert set(first) == expected
    assert {row["source"] for row in first.values()} == {"page"}
    assert capsys.readouterr().out.rstrip().endswith(f"{len(expected)} comments stored")
    assert main(["reparse", "--db", db]) == 0
    assert _comments(db) == first  # last_seen_at too: a reparse is not a sighting
    assert capsys.readouterr().out.rstrip().endswith(" 0 comments stored")


def test_no_comments_stores_no_thread(db: str) -> None:
    assert main(["reparse", "--db", db, "--no-comments"]) == 0
    assert _comments(db) == {}


def test_a_schedules_per_blog_no_comments_keeps_that_blogs_threads_unstored(
    db: str, tmp_path: Path
) -> None:
    threads = _threads()
    off, on = sorted(threads)
    schedule = tmp_path / "schedule.toml"
    schedule.write_text(
        f'[defaults]\ninterval = "1h"\n\n[[blog]]\nurl = "{off}"\n'
        "options = { no_comments = true }\n\n"
        f'[[blog]]\nurl = "{on}"\n'
    )
    assert main(["reparse", "--db", db, "--schedule", str(schedule)]) == 0
    assert set(_comments(db)) == {f"{on} {cid}" for cid in threads[on]}


def test_an_unreadable_schedule_is_a_usage_error(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["reparse", "--db", db, "--schedule", str(tmp_path / "none.toml")]) == 2
    assert "cannot read config" in capsys.readouterr().err
