"""A crawl writes only its own blogs: ``upsert_posts(..., blogs=...)`` refuses anything else."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from storage.batch import Batch, write_batch
from storage.models import Blog, Post, RejectedPageRow
from storage.repository import Outcome, upsert_posts
from storage.runs import start_run
from tests.support.storage_posts import make_post

pytest_plugins = ["tests.support.storage"]

EXAMPLE = "https://example.blogspot.com/"
OTHER = "https://other.blogspot.com/"


def _other_post(number: int, **changes: object) -> object:
    fields: dict[str, object] = {
        "url": f"https://other.blogspot.com/2024/05/other-{number}.html",
        "blog_url": OTHER,
        "blog_id": "777",
        "post_id": str(5_000 + number),
        "title": f"Other {number}",
    }
    fields.update(changes)
    return make_post(number, **fields)


def _reasons(factory: sessionmaker[Session]) -> dict[str, str]:
    with factory() as session:
        return dict(session.execute(select(RejectedPageRow.url, RejectedPageRow.reason)).all())


def _blogs(factory: sessionmaker[Session]) -> list[str]:
    with factory() as session:
        return sorted(session.scalars(select(Blog.url)))


def test_a_post_of_a_blog_not_being_crawled_is_refused_and_makes_no_blog_row(storage_sessions):
    with storage_sessions.begin() as session:
        outcomes = upsert_posts(session, [make_post(1), _other_post(1)], blogs={EXAMPLE})
    assert outcomes == [Outcome.INSERTED, Outcome.REJECTED]
    assert _blogs(storage_sessions) == [EXAMPLE]
    reasons = _reasons(storage_sessions)
    assert reasons == {
        "https://other.blogspot.com/2024/05/other-1.html": (
            "not on a crawled blog: other.blogspot.com"
        )
    }
    with storage_sessions() as session:
        assert session.scalars(select(RejectedPageRow.kind)).all() == ["off_blog"]


def test_ids_stored_for_another_blog_are_never_folded_into_it(storage_sessions):
    with storage_sessions.begin() as session:
        upsert_posts(session, [_other_post(1)])
    forged = make_post(2, blog_id="777", post_id="5001", title="Forged")  # the other's ids
    with storage_sessions.begin() as session:
        assert upsert_posts(session, [forged], blogs={EXAMPLE}) == [Outcome.REJECTED]
    with storage_sessions() as session:
        assert session.scalars(select(Post.title)).all() == ["Other 1"]
        assert session.scalar(select(func.count()).select_from(Post)) == 1
    reason = _reasons(storage_sessions)[forged.url]
    assert reason == f"Blogger blog id 777 belongs to {OTHER}"


def test_a_post_id_stored_under_another_blog_is_refused_even_without_the_blog_id_row(
    storage_sessions,
):
    with storage_sessions.begin() as session:
        upsert_posts(session, [_other_post(1)])
        session.execute(Blog.__table__.update().values(blogger_blog_id=None))
    forged = make_post(2, blog_id="777", post_id="5001")
    with storage_sessions.begin() as session:
        assert upsert_posts(session, [forged], blogs={EXAMPLE}) == [Outcome.REJECTED]
    assert _reasons(storage_sessions)[forged.url] == f"Blogger post 777/5001 belongs to {OTHER}"


def test_a_moved_blog_still_folds_into_its_own_earlier_row(storage_sessions):
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1)])
    moved = make_post(1, url="https://www.example.com/2024/03/post-1.html", blog_url=None)
    crawl_blogs = {EXAMPLE, "https://www.example.com/"}
    with storage_sessions.begin() as session:
        assert upsert_posts(session, [moved], blogs=crawl_blogs) == [Outcome.UNCHANGED]
    with storage_sessions() as session:
        assert session.scalar(select(func.count()).select_from(Post)) == 1


def test_a_crawl_batch_confines_each_run_to_its_own_blog(storage_sessions):
    # One crawl of two blogs: run 1 is example's, run 2 other's. A page of example's run that
    # carries other's ids is not folded into other's post, though both blogs are crawled.
    with storage_sessions.begin() as session:
        upsert_posts(session, [_other_post(1)])
        mine, theirs, gone = (
            start_run(session, blog_url=url, trigger="test") for url in (EXAMPLE, OTHER, EXAMPLE)
        )
    forged = make_post(2, blog_id="777", post_id="5001", title="Forged")
    honest = _other_post(2)
    batch = Batch(posts={mine: [forged], theirs: [honest]}, size=2)
    runs = {mine: frozenset({EXAMPLE}), theirs: frozenset({OTHER})}
    with storage_sessions.begin() as session:
        result = write_batch(session, batch, parser_version="1", blogs_of_run=runs)
    assert [outcome for _, outcome in result.outcomes] == [Outcome.REJECTED, Outcome.INSERTED]
    assert _reasons(storage_sessions)[forged.url] == f"Blogger blog id 777 belongs to {OTHER}"
    stale = Batch(posts={gone: [make_post(3)]}, size=1)  # a run since replaced: any crawled blog
    with storage_sessions.begin() as session:
        outcomes = write_batch(session, stale, parser_version="1", blogs_of_run=runs).outcomes
    assert [outcome for _, outcome in outcomes] == [Outcome.INSERTED]
