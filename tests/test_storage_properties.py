"""Whatever text a page holds, storing it keeps it exactly and storing it again changes nothing."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from storage.models import Blog, Post
from storage.repository import Outcome, upsert_posts
from tests.support.storage_posts import make_post

pytest_plugins = ["tests.support.storage"]

# Any Unicode text but surrogates (not encodable) and NUL (PostgreSQL text cannot hold it;
# storage drops it, tested separately).
TEXT = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=200
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=TEXT,
    paragraphs=st.lists(TEXT.filter(str.strip), min_size=1, max_size=5),
    labels=st.lists(TEXT, max_size=3),
)
def test_any_text_round_trips_and_a_second_store_is_unchanged(
    storage_sessions, title, paragraphs, labels
):
    post = make_post(1, title=title, body_paragraphs=paragraphs, labels=labels)
    with storage_sessions.begin() as session:
        session.execute(delete(Post))
        session.execute(delete(Blog))
        assert upsert_posts(session, [post]) == [Outcome.INSERTED]
    with storage_sessions.begin() as session:
        assert upsert_posts(session, [post]) == [Outcome.UNCHANGED]
        row = session.scalars(select(Post)).one()
        assert (row.title, row.body_paragraphs, row.labels) == (title, paragraphs, labels)
        assert row.body == "\n\n".join(paragraphs)


def test_nul_characters_are_dropped_so_postgresql_can_store_the_post(storage_sessions):
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1, title="a\x00b", body_paragraphs=["c\x00d"])])
    with storage_sessions() as session:
        row = session.execute(select(Post.title, Post.body)).one()
    assert tuple(row) == ("ab", "cd")
