"""Batched upserts, revisions, rejects and comment counts, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from crawler.items import FetchedPage
from storage.content import decompress
from storage.models import Blog, Post, PostRevision, RejectedPageRow
from storage.repository import Outcome, refresh_comment_counts, upsert_posts
from tests.support.storage_posts import make_post, raw_page_for

pytest_plugins = ["tests.support.storage"]


def _count(factory: sessionmaker[Session], model: type) -> int:
    with factory() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_new_batch_is_inserted_and_storing_it_again_reports_unchanged(storage_sessions):
    posts = [make_post(n) for n in range(1, 6)]
    with storage_sessions.begin() as session:
        assert upsert_posts(session, posts) == [Outcome.INSERTED] * 5
    with storage_sessions.begin() as session:
        assert upsert_posts(session, posts) == [Outcome.UNCHANGED] * 5
    assert _count(storage_sessions, Post) == 5
    assert _count(storage_sessions, PostRevision) == 0


def test_stored_fields_match_the_contract(storage_sessions):
    post = make_post(1)
    with storage_sessions.begin() as session:
        upsert_posts(session, [post], parser_version="p1")
    with storage_sessions() as session:
        row = session.scalars(select(Post)).one()
        blog = session.scalars(select(Blog)).one()
    assert row.url == post.url
    assert row.body == "\n\n".join(post.body_paragraphs)
    assert row.body_paragraphs == post.body_paragraphs
    assert row.labels == ["travel", "food"]
    assert (row.blogger_blog_id, row.blogger_post_id) == ("1234567890", "9000001")
    assert row.parser_version == "p1"
    assert (blog.url, blog.blogger_blog_id, blog.title) == (
        "https://example.blogspot.com/",
        "1234567890",
        "Example Blog",
    )


def test_a_changed_post_is_updated_and_keeps_its_previous_content_as_a_revision(storage_sessions):
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1)])
    edited = make_post(1, title="A better title", body_paragraphs=["Rewritten."])
    with storage_sessions.begin() as session:
        assert upsert_posts(session, [edited]) == [Outcome.UPDATED]
    with storage_sessions() as session:
        row = session.scalars(select(Post)).one()
        revision = session.scalars(select(PostRevision)).one()
    assert (row.title, row.body) == ("A better title", "Rewritten.")
    assert revision.post_id == row.id
    assert revision.title == "Post number 1"
    assert revision.body_paragraphs == make_post(1).body_paragraphs
    assert revision.content_hash != row.content_hash
    assert row.last_changed_at >= row.first_seen_at


def test_a_comment_count_change_updates_in_place_without_a_revision(storage_sessions):
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1, comment_count=2)])
    with storage_sessions.begin() as session:
        assert upsert_posts(session, [make_post(1, comment_count=7)]) == [Outcome.UPDATED]
    with storage_sessions() as session:
        assert session.scalar(select(Post.comment_count)) == 7
    assert _count(storage_sessions, PostRevision) == 0


def test_url_variants_of_one_post_end_in_one_row(storage_sessions):
    base = "example.blogspot.com/2024/03/post-1.html"
    variants = [
        f"http://{base}",
        f"https://{base}?m=1",
        "https://example.blogspot.co.uk/2024/03/post-1.html?m=0#comments",
        f"https://{base}?showComment=1700000000000#c123",
        f"https://{base}?utm_source=feed",
    ]
    for url in variants:
        with storage_sessions.begin() as session:
            upsert_posts(session, [make_post(1, url=url, blog_url=None)])
    with storage_sessions() as session:
        assert session.scalars(select(Post.url)).all() == [f"https://{base}"]
        assert session.scalars(select(Blog.url)).all() == ["https://example.blogspot.com/"]


def test_a_post_first_seen_without_ids_keeps_one_row_when_seen_with_ids(storage_sessions):
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1, blog_id=None, post_id=None)])
    with storage_sessions.begin() as session:
        assert upsert_posts(session, [make_post(1)]) == [Outcome.UPDATED]
    with storage_sessions() as session:
        assert session.execute(select(Post.blogger_post_id)).scalars().all() == ["9000001"]


def test_a_post_seen_with_its_ids_under_another_url_stays_one_row(storage_sessions):
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1)])
    moved = make_post(1, url="https://www.example.com/2024/03/post-1.html", blog_url=None)
    with storage_sessions.begin() as session:
        assert upsert_posts(session, [moved]) == [Outcome.UNCHANGED]
    assert _count(storage_sessions, Post) == 1


def test_duplicates_in_one_batch_store_the_last_occurrence(storage_sessions):
    first = make_post(1, title="first")
    last = make_post(1, url=first.url + "?m=1", title="last")
    with storage_sessions.begin() as session:
        assert upsert_posts(session, [first, last]) == [Outcome.UNCHANGED, Outcome.INSERTED]
    with storage_sessions() as session:
        assert session.scalars(select(Post.title)).all() == ["last"]


def test_two_urls_with_the_same_new_ids_in_one_batch_become_one_row(storage_sessions):
    blogspot = make_post(1)
    custom = make_post(1, url="https://www.example.com/2024/03/post-1.html", blog_url=None)
    with storage_sessions.begin() as session:
        outcomes = upsert_posts(session, [blogspot, custom])
    assert sorted(outcomes) == sorted([Outcome.INSERTED, Outcome.UNCHANGED])
    assert _count(storage_sessions, Post) == 1


def test_a_one_megabyte_body_is_stored_without_truncation(storage_sessions):
    paragraph = "ä" * 1_000_000
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1, body_paragraphs=[paragraph, "end"])])
    with storage_sessions() as session:
        body = session.scalar(select(Post.body))
    assert body == paragraph + "\n\nend"


def test_timestamps_come_back_timezone_aware_in_utc(storage_sessions):
    from datetime import timedelta, timezone

    published = datetime(2024, 5, 1, 23, 30, tzinfo=timezone(timedelta(hours=-7)))
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1, published=published)])
    with storage_sessions() as session:
        row = session.scalars(select(Post)).one()
    assert row.published_at == published
    assert row.published_at.utcoffset() == timedelta(0)
    assert row.published_at.hour == 6
    assert row.first_seen_at.tzinfo is not None


def test_unstorable_posts_are_routed_to_rejects_with_their_bytes(storage_sessions):
    empty = make_post(2, title=None, body_paragraphs=["  "])
    empty.raw_page = raw_page_for(empty, b"<html>empty shell</html>")
    no_url = make_post(3, url="")
    with storage_sessions.begin() as session:
        outcomes = upsert_posts(session, [make_post(1), empty, no_url], parser_version="p1")
    assert outcomes == [Outcome.INSERTED, Outcome.REJECTED, Outcome.REJECTED]
    with storage_sessions() as session:
        rejects = session.scalars(select(RejectedPageRow).order_by(RejectedPageRow.id)).all()
        assert [r.reason for r in rejects] == [
            "unstorable post: neither title nor body",
            "unstorable post: no URL",
        ]
        assert {r.kind for r in rejects} == {"unstorable"}
        assert rejects[0].url == empty.url
        assert decompress(rejects[0].body or b"") == b"<html>empty shell</html>"
        assert rejects[0].parser_version == "p1"
    assert _count(storage_sessions, Post) == 1


def test_the_raw_page_is_kept_compressed_and_survives_an_upsert_without_it(storage_sessions):
    post = make_post(1)
    post.raw_page = FetchedPage(url=post.url + "?m=1", body=b"<p>x</p>" * 1000, status=200)
    with storage_sessions.begin() as session:
        upsert_posts(session, [post])
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1, title="changed")])
    with storage_sessions() as session:
        stored = session.execute(select(Post.raw_page, Post.raw_source_url)).one()
    assert stored.raw_page is not None
    assert len(stored.raw_page) < 8000
    assert decompress(stored.raw_page) == b"<p>x</p>" * 1000
    assert stored.raw_source_url == post.url + "?m=1"


def test_batches_larger_than_one_statement_are_all_stored(storage_sessions):
    posts = [make_post(n) for n in range(1, 1201)]
    with storage_sessions.begin() as session:
        assert upsert_posts(session, posts).count(Outcome.INSERTED) == 1200
    changed = [make_post(n, title="new") if n % 10 == 0 else make_post(n) for n in range(1, 1201)]
    with storage_sessions.begin() as session:
        outcomes = upsert_posts(session, changed)
    assert outcomes.count(Outcome.UPDATED) == 120
    assert outcomes.count(Outcome.UNCHANGED) == 1080
    assert _count(storage_sessions, PostRevision) == 120


def test_unchanged_posts_move_last_seen_at_only(storage_sessions):
    first = datetime(2024, 1, 1, tzinfo=UTC)
    later = datetime(2024, 2, 1, tzinfo=UTC)
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1)], seen_at=first)
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1)], seen_at=later)
    with storage_sessions() as session:
        row = session.scalars(select(Post)).one()
    assert (row.first_seen_at, row.last_changed_at, row.last_seen_at) == (first, first, later)


def test_refresh_comment_counts_changes_only_differing_known_posts(storage_sessions):
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1, comment_count=1), make_post(2, comment_count=5)])
    counts = {
        "http://example.blogspot.com/2024/03/post-1.html?m=1": 4,
        make_post(2).url: 5,
        "https://example.blogspot.com/2024/03/unknown.html": 9,
        "not a url": 3,
    }
    with storage_sessions.begin() as session:
        assert refresh_comment_counts(session, counts) == 1
    with storage_sessions() as session:
        assert session.scalars(select(Post.comment_count).order_by(Post.id)).all() == [4, 5]
    assert _count(storage_sessions, PostRevision) == 0


def test_a_post_with_a_naive_time_is_rejected_naming_it_and_the_batch_survives(storage_sessions):
    naive = make_post(2, published=datetime(2024, 1, 5, 10, 0))  # naive on purpose
    with storage_sessions.begin() as session:
        outcomes = upsert_posts(session, [make_post(1), naive])
    assert outcomes == [Outcome.INSERTED, Outcome.REJECTED]
    with storage_sessions() as session:
        reason = session.scalar(select(RejectedPageRow.reason))
    assert reason == "unstorable post: published time 2024-01-05T10:00:00 has no timezone"


def test_odd_ids_and_overlong_language_tags_are_dropped_not_fatal(storage_sessions, caplog):
    odd = make_post(1, post_id="p-1" * 20, language="x" * 40)
    with storage_sessions.begin() as session:
        assert upsert_posts(session, [odd]) == [Outcome.INSERTED]
    with storage_sessions() as session:
        row = session.execute(select(Post.blogger_post_id, Post.language)).one()
    assert tuple(row) == (None, None)
    assert "dropped Blogger post id" in caplog.text


def test_a_write_that_is_not_a_sighting_keeps_last_seen_at(storage_sessions):
    first = datetime(2024, 1, 1, tzinfo=UTC)
    later = datetime(2024, 2, 1, tzinfo=UTC)
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1), make_post(2)], seen_at=first)
        blog_seen = session.scalar(select(Blog.last_seen_at))
    with storage_sessions.begin() as session:
        outcomes = upsert_posts(
            session, [make_post(1), make_post(2, title="edited")], seen_at=later, seen=False
        )
    assert outcomes == [Outcome.UNCHANGED, Outcome.UPDATED]
    with storage_sessions() as session:
        rows = session.execute(
            select(Post.last_seen_at, Post.last_changed_at).order_by(Post.id)
        ).all()
        assert session.scalar(select(Blog.last_seen_at)) == blog_seen
    assert [tuple(row) for row in rows] == [(first, first), (first, later)]


def test_raw_pages_are_compressed_only_for_rows_that_are_written(storage_sessions, monkeypatch):
    import storage.content

    compressed: list[int] = []
    real_compress = storage.content.compress

    def counting_compress(data: bytes) -> bytes:
        compressed.append(len(data))
        return real_compress(data)

    monkeypatch.setattr(storage.content, "compress", counting_compress)
    post = make_post(1)
    post.raw_page = raw_page_for(post, b"<p>page</p>" * 100)
    with storage_sessions.begin() as session:
        assert upsert_posts(session, [post]) == [Outcome.INSERTED]
    assert len(compressed) == 1
    with storage_sessions.begin() as session:
        assert upsert_posts(session, [post]) == [Outcome.UNCHANGED]
    assert len(compressed) == 1  # the stored page stays; compressing it again was waste
    edited = make_post(1, title="edited")
    edited.raw_page = raw_page_for(edited, b"<p>new page</p>" * 100)
    with storage_sessions.begin() as session:
        assert upsert_posts(session, [edited]) == [Outcome.UPDATED]
    assert len(compressed) == 2
    with storage_sessions() as session:
        stored = session.scalar(select(Post.raw_page))
    assert decompress(stored or b"") == b"<p>new page</p>" * 100
