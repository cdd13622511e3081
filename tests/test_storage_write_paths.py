"""The cheaper write paths of storage give what the plain definitions give.

New rows go out as ``INSERT ... ON CONFLICT DO NOTHING``, with the upsert as the fallback when
another writer stored a row between the lookup and the write; the content hash is assembled
from pieces, and must stay the hash of the documented ``json.dumps``.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import storage.repository as repository
from crawler.items import BlogPost
from storage.content import content_hash, post_row
from storage.models import Post
from storage.repository import Outcome, upsert_posts
from storage.upsert_plan import ExistingLookup
from tests.support.storage_posts import make_post

pytest_plugins = ["tests.support.storage"]


def _reference_hash(post: BlogPost) -> str:
    """The hash as its docstring defines it, with ``json.dumps``."""

    def text(value: str | None) -> str | None:
        return value.replace("\x00", "") if value else value

    when = post.published.astimezone(UTC).isoformat() if post.published else None
    fields = [
        text(post.title),
        [text(p) for p in post.body_paragraphs],
        [text(label) for label in post.labels],
        text(post.author),
        when,
        post.language,
    ]
    encoded = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


_TEXT = st.text(
    alphabet=st.sampled_from(["a", "é", '"', "\\", "\n", "\x00", "\x1f", "“", " ", ",", "😀"]),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(
    title=st.none() | _TEXT,
    paragraphs=st.lists(_TEXT, max_size=5),
    labels=st.lists(_TEXT, max_size=3),
    author=st.none() | _TEXT,
    dated=st.booleans(),
)
def test_the_content_hash_is_the_documented_json_dumps_hash(
    title: str | None, paragraphs: list[str], labels: list[str], author: str | None, dated: bool
) -> None:
    post = BlogPost(
        url="https://h.blogspot.com/2020/01/p.html",
        title=title,
        body_paragraphs=paragraphs,
        labels=labels,
        author=author,
        published=datetime(2020, 1, 2, 3, 4, tzinfo=UTC) if dated else None,
        language="en",
    )
    assert content_hash(post) == _reference_hash(post)
    seen = datetime(2024, 1, 1, tzinfo=UTC)
    if (title or "").replace("\x00", "").strip() or any(
        p.replace("\x00", "").strip() for p in paragraphs
    ):
        row = post_row(post, seen_at=seen, parser_version=None).values
        assert row["content_hash"] == _reference_hash(post)
        assert row["body_paragraphs"] == [p.replace("\x00", "") for p in paragraphs]
        assert row["body"] == "\n\n".join(row["body_paragraphs"])
        assert row["body_paragraphs"] is not post.body_paragraphs


@pytest.mark.parametrize("value", ["1", "0" * 32, "0" * 33, "", "12a", "١٢٣", "²", "12 "])
def test_blogger_ids_are_kept_only_when_they_are_1_to_32_ascii_digits(value: str) -> None:
    post = make_post(1)
    post.post_id = value
    row = post_row(post, seen_at=datetime(2024, 1, 1, tzinfo=UTC), parser_version=None).values
    expected = value if value.isascii() and value.isdigit() and 1 <= len(value) <= 32 else None
    assert row["blogger_post_id"] == expected


def test_a_row_stored_by_another_writer_after_the_lookup_is_updated_not_lost(
    storage_sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make_post(1)
    with storage_sessions.begin() as session:
        upsert_posts(session, [first, make_post(2)])
    with storage_sessions() as session:
        stored = session.scalars(select(Post).where(Post.url == first.url)).one()
        first_seen = stored.first_seen_at

    # The lookup misses the stored rows, as when another writer committed them just after it.
    monkeypatch.setattr(repository, "find_existing", lambda _session, _rows: ExistingLookup({}, {}))
    edited = make_post(1, title="Edited meanwhile", body_paragraphs=["New text."])
    with storage_sessions.begin() as session:
        assert upsert_posts(session, [edited, make_post(3)]) == [Outcome.INSERTED] * 2
    with storage_sessions() as session:
        rows = {row.url: row for row in session.scalars(select(Post))}
    assert len(rows) == 3
    assert rows[first.url].title == "Edited meanwhile"
    assert rows[first.url].body_paragraphs == ["New text."]
    assert rows[first.url].first_seen_at == first_seen
    assert rows[make_post(3).url].title == make_post(3).title


def _stored_rows(session: Session) -> dict[str, dict[str, object]]:
    varying = {"id", "first_seen_at", "last_seen_at", "last_changed_at", "change_seq"}
    rows = session.execute(select(Post.__table__)).mappings()
    return {row["url"]: {k: v for k, v in row.items() if k not in varying} for row in rows}


def test_rows_prepared_as_posts_arrive_store_what_rows_built_at_the_write_store(
    storage_sessions: sessionmaker[Session], tmp_path
) -> None:
    from storage.batch import Batch, write_batch  # noqa: PLC0415
    from storage.database import make_engine, make_session_factory  # noqa: PLC0415
    from storage.migrate import upgrade  # noqa: PLC0415
    from tests.support.storage_posts import raw_page_for  # noqa: PLC0415

    posts = [make_post(n) for n in range(1, 6)]
    posts[1].raw_page = raw_page_for(posts[1])
    posts.append(make_post(9, title=None, body_paragraphs=[]))  # unstorable
    ahead = Batch()
    for post in posts:
        ahead.add_post(None, post)
    at_write = Batch(posts={None: list(posts)})
    assert ahead.prepared_rows(None) is not None
    assert at_write.prepared_rows(None) is None
    other_url = f"sqlite:///{tmp_path / 'other.db'}"
    upgrade(other_url)
    other = make_engine(other_url)
    results = []
    for factory, batch in ((storage_sessions, ahead), (make_session_factory(other), at_write)):
        with factory.begin() as session:
            outcomes = write_batch(session, batch, parser_version="v9").outcomes
            results.append(([o for _, o in outcomes], _stored_rows(session)))
    other.dispose()
    assert results[0] == results[1]
    assert results[0][0][-1] is Outcome.REJECTED
    assert {row["parser_version"] for row in results[0][1].values()} == {"v9"}


def test_a_prepared_batch_written_again_after_a_rollback_stores_its_rows_whole(
    storage_sessions: sessionmaker[Session],
) -> None:
    from storage.batch import Batch, write_batch  # noqa: PLC0415

    batch = Batch()
    for number in (1, 2):
        batch.add_post(None, make_post(number))
    with storage_sessions() as session:
        write_batch(session, batch, parser_version="1")
        session.rollback()  # the database failed: the store stage keeps the batch
    later = Batch()
    later.add_post(None, make_post(3))
    later.merge(batch)  # the failed batch goes in front, with its prepared rows
    assert later.prepared_rows(None) is not None
    assert [p.url for p in later.posts[None]] == [make_post(n).url for n in (1, 2, 3)]
    with storage_sessions.begin() as session:
        outcomes = [o for _, o in write_batch(session, later, parser_version="1").outcomes]
        seqs = session.scalars(select(Post.change_seq).order_by(Post.change_seq)).all()
    assert outcomes == [Outcome.INSERTED] * 3
    assert seqs == [1, 2, 3]


def test_a_run_with_posts_added_without_their_rows_builds_them_all_at_the_write() -> None:
    from storage.batch import Batch  # noqa: PLC0415

    batch = Batch()
    batch.add_post(None, make_post(1))
    batch.posts[None].append(make_post(2))  # as a spool file's posts are
    assert batch.prepared_rows(None) is None
    other = Batch()
    other.add_post(None, make_post(3))
    other.merge(batch)
    assert other.prepared_rows(None) is None
    with pytest.raises(ValueError, match="prepared rows"):
        upsert_posts(None, [make_post(1)], prepared=[])  # type: ignore[arg-type]
