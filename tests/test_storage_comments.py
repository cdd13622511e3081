"""The comments table: idempotent upserts, deletion states, the feed's precedence, the gap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import event, select

from crawler.items import BlogComment, PostComments
from storage.batch import Batch, page_comments, write_batch
from storage.comments import MISSING, NOTICE, comment_gaps, upsert_comments
from storage.models import Comment, Post
from storage.repository import refresh_comment_counts, upsert_posts
from storage.spool import read_spool, write_spool
from tests.support.storage_posts import BASE_TIME, make_post

pytest_plugins = ["tests.support.storage"]

T0 = datetime(2024, 3, 5, 10, 0, 0, 123000, tzinfo=UTC)


def comment(number: int, **changes: object) -> BlogComment:
    fields: dict[str, object] = {
        "id": str(7_000_000 + number),
        "author": f"Reader {number}",
        "author_url": f"https://www.blogger.com/profile/{number}",
        "published": T0 + timedelta(hours=number),
        "paragraphs": [f"Comment {number}.", "Merci, très bien."],
    }
    fields.update(changes)
    return BlogComment(**fields)  # type: ignore[arg-type]


def listing(post_number: int, comments: list[BlogComment], **changes: object) -> PostComments:
    post = make_post(post_number)
    fields: dict[str, object] = {
        "post_url": post.url,
        "blog_id": post.blog_id,
        "post_id": post.post_id,
        "comments": comments,
        "source": "feed",
    }
    fields.update(changes)
    return PostComments(**fields)  # type: ignore[arg-type]


def stored(session) -> dict[str, Comment]:
    query = select(Comment).execution_options(populate_existing=True)
    return {c.blogger_comment_id: c for c in session.scalars(query)}


def test_comments_are_stored_once_and_a_second_identical_write_changes_nothing(storage_sessions):
    reply = comment(2, parent=comment(1).id)
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1)])
        first = upsert_comments(session, [listing(1, [comment(1), reply])])
    with storage_sessions.begin() as session:
        again = upsert_comments(session, [listing(1, [comment(1), reply])])
        rows = stored(session)
    assert (first.inserted, first.updated, again.inserted, again.updated, again.unchanged) == (
        2,
        0,
        0,
        0,
        2,
    )
    assert rows[reply.id].parent_blogger_comment_id == comment(1).id  # type: ignore[index]
    assert rows[comment(1).id].parent_blogger_comment_id is None  # type: ignore[index]
    assert rows[comment(1).id].paragraphs == ["Comment 1.", "Merci, très bien."]  # type: ignore[index]
    assert rows[comment(1).id].published_at == T0 + timedelta(hours=1)  # type: ignore[index]


def test_every_stored_change_takes_a_change_seq_after_the_posts(storage_sessions):
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1)])
        upsert_comments(session, [listing(1, [comment(1), comment(2)])])
    with storage_sessions.begin() as session:
        post_seq = session.scalar(select(Post.change_seq))
        first = {c.blogger_comment_id: c.change_seq for c in stored(session).values()}
        upsert_comments(session, [listing(1, [comment(1, paragraphs=["Edited."]), comment(2)])])
    with storage_sessions() as session:
        after = {c.blogger_comment_id: c.change_seq for c in stored(session).values()}
    assert sorted(first.values()) == [post_seq + 1, post_seq + 2]
    assert after[comment(2).id] == first[comment(2).id]  # type: ignore[index]
    assert after[comment(1).id] == post_seq + 3  # type: ignore[index]


def test_a_removal_notice_is_a_deleted_comment_without_text(storage_sessions):
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1)])
        upsert_comments(session, [listing(1, [comment(1)])])
    with storage_sessions.begin() as session:
        gone = comment(1, deleted=True, paragraphs=[])
        result = upsert_comments(session, [listing(1, [gone])])
        row = stored(session)[comment(1).id]  # type: ignore[index]
    assert result.updated == 1
    assert (row.deletion, row.paragraphs, row.deleted_at is not None) == (NOTICE, [], True)


def test_a_comment_missing_from_a_complete_listing_is_marked_deleted_never_removed(
    storage_sessions,
):
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1)])
        upsert_comments(session, [listing(1, [comment(1), comment(2), comment(3)])])
    with storage_sessions.begin() as session:
        partial = upsert_comments(session, [listing(1, [comment(1)], complete=False)])
    with storage_sessions.begin() as session:
        whole = upsert_comments(session, [listing(1, [comment(1), comment(3)], complete=True)])
        rows = stored(session)
    assert (partial.deleted, whole.deleted) == (0, 1)
    assert len(rows) == 3
    assert rows[comment(2).id].deletion == MISSING  # type: ignore[index]
    assert rows[comment(2).id].paragraphs == ["Comment 2.", "Merci, très bien."]  # type: ignore[index]
    assert rows[comment(1).id].deletion is None  # type: ignore[index]
    with storage_sessions.begin() as session:
        back = upsert_comments(session, [listing(1, [comment(2)])])
        assert stored(session)[comment(2).id].deletion is None  # type: ignore[index]
    assert back.updated == 1


def test_a_page_never_rewrites_what_the_feed_stored_but_its_removal_notice_counts(
    storage_sessions,
):
    page_copy = comment(1, published=T0.replace(microsecond=0) + timedelta(hours=1))
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1)])
        upsert_comments(session, [listing(1, [comment(1)])])
        unchanged = upsert_comments(session, [listing(1, [page_copy], source="page")])
        row = stored(session)[comment(1).id]  # type: ignore[index]
        assert (unchanged.updated, row.published_at, row.source) == (
            0,
            T0 + timedelta(hours=1),
            "feed",
        )
        removed = comment(1, deleted=True, paragraphs=[])
        upsert_comments(session, [listing(1, [removed], source="page")])
        row = stored(session)[comment(1).id]  # type: ignore[index]
        assert (row.deletion, row.paragraphs) == (NOTICE, [])


def test_the_feed_replaces_what_a_page_stored(storage_sessions):
    page_copy = comment(1, published=T0.replace(microsecond=0), author_url=None)
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1)])
        upsert_comments(session, [listing(1, [page_copy], source="page")])
        result = upsert_comments(session, [listing(1, [comment(1)])])
        row = stored(session)[comment(1).id]  # type: ignore[index]
    assert result.updated == 1
    assert (row.source, row.author_url) == ("feed", comment(1).author_url)


def test_comments_of_unknown_posts_come_back_unplaced_and_ones_without_an_id_are_skipped(
    storage_sessions,
):
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1)])
        result = upsert_comments(
            session, [listing(2, [comment(1)]), listing(1, [comment(2, id=None), comment(3)])]
        )
        assert len(stored(session)) == 1
    assert (result.inserted, result.skipped) == (1, 1)
    assert [lst.post_id for lst in result.unplaced] == [make_post(2).post_id]


def test_a_post_is_found_by_its_url_when_ids_are_unknown_and_emails_are_never_stored(
    storage_sessions,
):
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1)])
        odd = comment(1, author_url="mailto:reader@example.com")
        upsert_comments(
            session,
            [listing(1, [odd], blog_id=None, post_id=None, post_url=make_post(1).url + "?m=1")],
        )
        assert stored(session)[comment(1).id].author_url is None  # type: ignore[index]


def test_write_batch_stores_the_page_thread_carried_by_each_post(storage_sessions):
    post = make_post(1, comments=[comment(1), comment(2)], comment_count=2)
    feed = listing(3, [comment(5)])
    batch = Batch(posts={None: [post, make_post(3, comment_count=None)]}, comments=[feed])
    with storage_sessions.begin() as session:
        result = write_batch(session, batch, parser_version="1")
        rows = stored(session)
    assert result.comments is not None
    assert result.comments.inserted == 3
    assert {rows[c].source for c in rows} == {"page", "feed"}


def test_new_posts_with_empty_page_threads_cost_no_comment_statement(
    storage_engine, storage_sessions
):
    # Most posts a crawl stores carry an empty thread; each used to cost comment lookups.
    batch = Batch(
        posts={
            None: [
                make_post(1, comment_count=3),  # a partial thread: nothing to write
                make_post(2, comment_count=0),  # complete, but the post is new: nothing stored
            ]
        }
    )
    statements: list[str] = []
    event.listen(storage_engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with storage_sessions.begin() as session:
        result = write_batch(session, batch, parser_version="1")
    assert [outcome.value for _, outcome in result.outcomes] == ["inserted", "inserted"]
    assert result.comments is None
    assert not [sql for sql in statements if "comments" in sql.lower()]


def test_an_empty_complete_page_thread_of_a_stored_post_still_marks_its_comments_missing(
    storage_sessions,
):
    with storage_sessions.begin() as session:
        write_batch(
            session,
            Batch(posts={None: [make_post(1, comments=[comment(1)], comment_count=1)]}),
            parser_version="1",
        )
    again = Batch(posts={None: [make_post(1, comment_count=0)]})
    with storage_sessions.begin() as session:
        result = write_batch(session, again, parser_version="1")
        rows = stored(session)
    assert result.comments is not None
    assert result.comments.deleted == 1
    assert rows[comment(1).id].deletion == MISSING  # type: ignore[index]


def test_an_empty_partial_listing_is_skipped_and_never_comes_back_unplaced(storage_sessions):
    with storage_sessions.begin() as session:
        result = upsert_comments(session, [listing(9, [])])
    assert (result.inserted, result.unplaced) == (0, [])


def test_a_post_whose_blogs_comments_are_off_keeps_its_thread_unstored_even_via_a_spool(
    storage_sessions, tmp_path
):
    on = make_post(1, comments=[comment(1)], comment_count=1)
    off = make_post(2, comments=[comment(2)], comment_count=1)
    batch = Batch(posts={None: [on, off]}, no_threads={off.url}, size=2)
    # A batch the database could not take is spooled and loaded later: the switch goes along.
    spooled = read_spool(write_spool(tmp_path, batch))
    assert spooled.no_threads == {off.url}
    with storage_sessions.begin() as session:
        write_batch(session, spooled, parser_version="1")
        rows = stored(session)
    assert set(rows) == {comment(1).id}


def test_a_page_thread_is_complete_only_when_it_holds_as_many_comments_as_its_count():
    whole = make_post(1, comments=[comment(1), comment(2)], comment_count=2)
    short = make_post(1, comments=[comment(1)], comment_count=2)
    cut = make_post(1, comments=[comment(1), comment(2)], comment_count=2, comments_partial=True)
    assert [page_comments(p).complete for p in (whole, short, cut)] == [True, False, False]


def test_the_gap_tells_comments_held_against_comments_shown_per_blog(storage_sessions):
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1, comment_count=3), make_post(2, comment_count=None)])
        upsert_comments(
            session,
            [listing(1, [comment(1), comment(2, deleted=True, paragraphs=[]), comment(3)])],
        )
        upsert_comments(session, [listing(1, [comment(1), comment(2)], complete=True)])
        refresh_comment_counts(session, {make_post(1).url: 2})
        blog_id = session.scalar(select(Post.blog_id))
        gaps = comment_gaps(session)
    assert (gaps[blog_id].held, gaps[blog_id].shown, gaps[blog_id].missing) == (2, 2, 0)
    assert BASE_TIME  # the posts' own times are make_post's


def test_feed_comments_survive_a_spool_file(tmp_path):
    from storage.spool import read_spool, write_spool  # noqa: PLC0415

    feed = listing(1, [comment(1), comment(2, parent=comment(1).id)], complete=True)
    path = write_spool(tmp_path, Batch(comments=[feed], size=1))
    back = read_spool(path)
    assert (back.comments, back.size) == ([feed], 1)


def test_a_complete_listing_may_name_the_ids_sent_before_instead_of_repeating_them(
    storage_sessions,
):
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1)])
        upsert_comments(session, [listing(1, [comment(1), comment(2), comment(3)])])
        closing = listing(1, [], complete=True, listed_ids=[comment(1).id, comment(3).id])
        result = upsert_comments(session, [closing])
        rows = stored(session)
    assert result.deleted == 1
    assert [rows[comment(n).id].deletion for n in (1, 2, 3)] == [None, MISSING, None]  # type: ignore[index]


def test_a_feed_listing_only_reaches_posts_of_the_blog_it_was_read_from(storage_sessions):
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1)])
        hostile = listing(
            1, [comment(1)], source_url="https://other.blogspot.com/feeds/comments/default"
        )
        own = listing(
            1, [comment(2)], source_url="http://example.blogspot.de/feeds/comments/default"
        )
        result = upsert_comments(session, [hostile, own])
        assert list(stored(session)) == [comment(2).id]
    assert (result.refused, result.inserted, result.unplaced) == (1, 1, [])
