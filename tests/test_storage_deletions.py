"""Soft deletes: ``posts.deleted_at`` takes a change_seq, is idempotent, and is undone by a
sighting but not by a reparse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from storage.deletions import live_post_urls, mark_posts_deleted
from storage.models import Blog, Post
from storage.repository import Outcome, upsert_posts
from tests.support.storage_posts import make_post

pytest_plugins = ["tests.support.storage"]

GONE_AT = datetime(2026, 12, 6, 17, 0, tzinfo=UTC)


def _rows(sessions) -> dict[str, tuple[datetime | None, int]]:
    with sessions() as session:
        rows = session.execute(select(Post.url, Post.deleted_at, Post.change_seq)).all()
    return {url: (deleted_at, seq) for url, deleted_at, seq in rows}


def _blog_id(sessions, url: str = "https://example.blogspot.com/") -> int:
    with sessions() as session:
        return session.execute(select(Blog.id).where(Blog.url == url)).scalar_one()


def test_marking_deleted_stamps_the_time_and_a_new_change_seq_once(storage_sessions):
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1), make_post(2), make_post(3)])
    blog = _blog_id(storage_sessions)
    before = _rows(storage_sessions)
    gone = make_post(2).url
    with storage_sessions.begin() as session:
        # Any variant of the URL names the post.
        variant = gone.replace("https://", "http://") + "?m=1"
        assert mark_posts_deleted(session, blog, [variant, "not a url"], GONE_AT) == 1
    after = _rows(storage_sessions)
    assert after[gone][0] == GONE_AT
    assert after[gone][1] > max(seq for _, seq in before.values())
    assert {url: row for url, row in after.items() if url != gone} == {
        url: row for url, row in before.items() if url != gone
    }
    with storage_sessions.begin() as session:
        assert mark_posts_deleted(session, blog, [gone], GONE_AT + timedelta(days=1)) == 0
    assert _rows(storage_sessions) == after  # not re-stamped, no new change_seq
    with storage_sessions() as session:
        assert live_post_urls(session, blog) == {make_post(1).url, make_post(3).url}
        last = session.execute(text("SELECT last_value FROM change_counter")).scalar_one()
    assert last == after[gone][1]  # the sequence stays gapless


def test_marking_never_touches_another_blogs_post(storage_sessions):
    other = make_post(
        7,
        url="https://other.blogspot.com/2024/03/post-7.html",
        blog_url="https://other.blogspot.com/",
        blog_id="555",
    )
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1), other])
    blog = _blog_id(storage_sessions)
    with storage_sessions.begin() as session:
        assert mark_posts_deleted(session, blog, [other.url], GONE_AT) == 0
    assert _rows(storage_sessions)[other.url][0] is None


def test_a_deleted_post_seen_again_is_revived_with_a_new_change_seq(storage_sessions):
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1), make_post(2)])
    blog = _blog_id(storage_sessions)
    with storage_sessions.begin() as session:
        mark_posts_deleted(session, blog, [make_post(1).url], GONE_AT)
    deleted_seq = _rows(storage_sessions)[make_post(1).url][1]
    with storage_sessions.begin() as session:
        assert upsert_posts(session, [make_post(1)]) == [Outcome.UPDATED]
    deleted_at, seq = _rows(storage_sessions)[make_post(1).url]
    assert deleted_at is None
    assert seq > deleted_seq
    with storage_sessions.begin() as session:
        assert upsert_posts(session, [make_post(1)]) == [Outcome.UNCHANGED]


def test_a_reparse_of_a_deleted_post_keeps_it_deleted(storage_sessions):
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1)])
    blog = _blog_id(storage_sessions)
    with storage_sessions.begin() as session:
        mark_posts_deleted(session, blog, [make_post(1).url], GONE_AT)
    with storage_sessions.begin() as session:
        # A newer parser's different result is stored, but the post stays deleted.
        upsert_posts(session, [make_post(1, title="Reparsed")], seen=False)
    with storage_sessions() as session:
        post = session.execute(select(Post)).scalar_one()
    assert post.title == "Reparsed"
    assert post.deleted_at == GONE_AT


def test_gone_posts_travel_through_a_batch_and_a_spool_file_to_deleted_at(
    storage_sessions, tmp_path
):
    from crawler.items import PostGone
    from storage.batch import Batch, write_batch
    from storage.spool import read_spool, write_spool

    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1), make_post(2)])
    batch = Batch()
    batch.gone.append(
        PostGone(
            url=make_post(2).url,
            blog_url="http://example.blogspot.com/",
            status=410,
            checked_at=GONE_AT,
        )
    )
    batch.size += 1
    spooled = read_spool(write_spool(tmp_path, batch))
    assert spooled.gone == batch.gone
    assert spooled.size == 1
    with storage_sessions.begin() as session:
        assert write_batch(session, spooled, parser_version="1").deleted_marked == 1
    assert _rows(storage_sessions)[make_post(2).url][0] == GONE_AT
    assert _rows(storage_sessions)[make_post(1).url][0] is None


def test_a_deleted_post_is_not_known_to_a_recrawl_so_a_listing_fetches_it_again(
    storage_sessions,
):
    from storage.crawl_state import known_posts

    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1), make_post(2)])
    blog = _blog_id(storage_sessions)
    with storage_sessions.begin() as session:
        mark_posts_deleted(session, blog, [make_post(2).url], GONE_AT)
    with storage_sessions() as session:
        assert set(known_posts(session, "https://example.blogspot.com/")) == {make_post(1).url}
