"""Storage keeps a custom domain's http URLs as given, and finds them under either scheme."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from storage.crawl_state import known_posts
from storage.deletions import mark_posts_deleted
from storage.models import Blog, Post
from storage.repository import Outcome, mark_seen, refresh_comment_counts, upsert_posts
from tests.support.storage_posts import make_post

pytest_plugins = ["tests.support.storage"]

HTTP_URL = "http://www.example.org/2024/03/post-1.html"
HTTPS_URL = "https://www.example.org/2024/03/post-1.html"


def _custom(number: int = 1, **changes: object):
    fields: dict[str, object] = {"url": HTTP_URL, "blog_url": "https://www.example.org/"}
    fields.update(changes)
    return make_post(number, **fields)


def _posts(sessions) -> list[tuple[str, int | None, datetime | None]]:
    with sessions() as session:
        return list(session.execute(select(Post.url, Post.comment_count, Post.deleted_at)).all())


def test_an_http_url_is_stored_as_given_and_found_under_either_scheme(storage_sessions):
    with storage_sessions.begin() as session:
        assert upsert_posts(session, [_custom()]) == [Outcome.INSERTED]
        # The same post without ids, over https: the same row.
        assert upsert_posts(session, [_custom(post_id=None, url=HTTPS_URL + "?m=1")]) == [
            Outcome.UPDATED
        ]
    assert [url for url, _, _ in _posts(storage_sessions)] == [HTTPS_URL]  # now served https
    with storage_sessions.begin() as session:
        assert upsert_posts(session, [_custom()]) == [Outcome.UPDATED]  # back to http
        assert refresh_comment_counts(session, {HTTPS_URL: 41}) == 1
        seen = datetime.now(UTC) + timedelta(hours=1)
        assert mark_seen(session, [HTTPS_URL], seen) == 1
        blog_id = session.scalar(select(Blog.id))
        assert known_posts(session, "https://www.example.org/").keys() == {HTTPS_URL}
        assert mark_posts_deleted(session, blog_id, [HTTPS_URL], seen) == 1
    assert _posts(storage_sessions) == [(HTTP_URL, 41, seen)]


def test_blogspot_urls_are_always_https(storage_sessions):
    with storage_sessions.begin() as session:
        upsert_posts(session, [make_post(1, url="http://example.blogspot.de/2024/03/post-1.html")])
    assert [url for url, _, _ in _posts(storage_sessions)] == [make_post(1).url]
