"""Whatever text a page holds, storing it keeps it exactly and storing it again changes nothing."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from crawler.items import BlogPost
from storage.content import content_hash
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


def _reference_hash(post: BlogPost) -> str:
    """The content hash as defined (and as every stored row was hashed): sha256 of this JSON."""
    published = post.published.astimezone(UTC).isoformat() if post.published else None

    def clean(text: str | None) -> str | None:
        return text.replace("\x00", "") if text else text

    content = [
        clean(post.title),
        [clean(p) for p in post.body_paragraphs],
        [clean(label) for label in post.labels],
        clean(post.author),
        published,
        post.language,
    ]
    encoded = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


# Any text that UTF-8 can encode, control characters, quotes and backslashes included.
ANY_TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=80)


@settings(max_examples=300, deadline=None)
@given(
    title=st.none() | ANY_TEXT,
    paragraphs=st.lists(ANY_TEXT, max_size=4),
    labels=st.lists(ANY_TEXT, max_size=3),
    author=st.none() | ANY_TEXT,
    language=st.none() | st.text(max_size=8),
    offset_minutes=st.none() | st.integers(min_value=-720, max_value=720),
)
def test_the_content_hash_is_the_defined_json_digest_for_any_text(
    title, paragraphs, labels, author, language, offset_minutes
):
    published = None
    if offset_minutes is not None:
        zone = timezone(timedelta(minutes=offset_minutes))
        published = datetime(2024, 1, 2, 3, 4, 5, 678, tzinfo=zone)
    post = BlogPost(
        url="https://x.blogspot.com/a.html",
        title=title,
        body_paragraphs=paragraphs,
        labels=labels,
        author=author,
        language=language,
        published=published,
    )
    assert content_hash(post) == _reference_hash(post)


def test_the_content_hash_of_a_known_post_never_changes():
    # Stored rows carry this digest: a different one would mark every stored post as edited.
    assert content_hash(make_post(1)) == _reference_hash(make_post(1)) == KNOWN_DIGEST


KNOWN_DIGEST = "9dde08474cf425f5e257c5dea2c99093d7d861a56e03cf47f75bcdd7c6c7ee02"
