"""Realistic :class:`BlogPost` records for storage tests and the storage benchmark."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crawler.items import BlogPost, FetchedPage

BASE_TIME = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def make_post(number: int = 1, **changes: object) -> BlogPost:
    """A realistic post on ``https://example.blogspot.com/``; ``changes`` override fields."""
    fields: dict[str, object] = {
        "url": f"https://example.blogspot.com/2024/03/post-{number}.html",
        "title": f"Post number {number}",
        "body_paragraphs": [f"First paragraph of post {number}.", "Second paragraph, äöü ’ —."],
        "comment_count": 2,
        "blog_id": "1234567890",
        "post_id": str(9_000_000 + number),
        "author": "Jane Doe",
        "published": BASE_TIME + timedelta(days=number),
        "updated": BASE_TIME + timedelta(days=number, hours=1),
        "labels": ["travel", "food"],
        "language": "en",
        "blog_url": "https://example.blogspot.com/",
        "blog_title": "Example Blog",
    }
    fields.update(changes)
    return BlogPost(**fields)  # type: ignore[arg-type]


def raw_page_for(post: BlogPost, body: bytes = b"<html><body>raw</body></html>") -> FetchedPage:
    """A fetched page for ``post`` with ``body`` as its bytes."""
    return FetchedPage(url=post.url, body=body, status=200, content_type="text/html; charset=UTF-8")
