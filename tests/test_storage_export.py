"""Streaming posts out for consumers, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.export import EXPORT_FIELDS, ExportFilter, iter_posts
from storage.repository import upsert_posts
from tests.support.storage_posts import make_post

pytest_plugins = ["tests.support.storage"]


def test_iter_posts_streams_every_post_in_storage_order_with_the_contract_fields(
    storage_sessions,
):
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(n) for n in range(1, 1202)])
    with storage_sessions() as session:
        exported = list(iter_posts(session, ExportFilter()))
    assert len(exported) == 1201
    assert [p["url"] for p in exported[:2]] == [make_post(1).url, make_post(2).url]
    assert tuple(exported[0]) == EXPORT_FIELDS
    assert exported[0]["published_at"] == make_post(1).published


def test_iter_posts_filters_by_blog_change_time_and_limit(storage_sessions):
    early = datetime(2024, 1, 1, tzinfo=UTC)
    late = datetime(2024, 6, 1, tzinfo=UTC)
    other = make_post(5, url="https://other.blogspot.com/2024/01/a.html", blog_url=None)
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1), make_post(2)], seen_at=early)
        upsert_posts(session, [make_post(3), other], seen_at=late)
    with storage_sessions() as session:

        def urls(**where: object) -> list[str]:
            return [p["url"] for p in iter_posts(session, ExportFilter(**where))]  # type: ignore[arg-type]

        assert urls(blog_url="https://other.blogspot.com/") == [other.url]
        assert urls(changed_since=late) == [make_post(3).url, other.url]
        assert urls(limit=1) == [make_post(1).url]
