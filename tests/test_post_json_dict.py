"""``BlogPost.to_json_dict`` (every stored post's record) is the ``dataclasses.asdict`` shape.

Differential: built field by field for speed, it must give what ``asdict`` gives (without the
raw page, times as ISO strings, comments as their own dicts), key order included (JSON output
keeps it), and share no list with the post.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from crawler.feed_records import record_from_entry
from crawler.items import BlogPost
from tests.fakeblog.routes import Router
from tests.support.feed_entries import blogs, damaged_site, feed_entries, page_record


def _reference(post: BlogPost) -> dict[str, Any]:
    data = asdict(post)
    del data["raw_page"]
    for key in ("published", "updated"):
        value = data[key]
        data[key] = value.isoformat() if value is not None else None
    data["comments"] = [comment.to_json_dict() for comment in post.comments]
    return data


def _records() -> list[BlogPost]:
    site, _kinds = damaged_site()
    router = Router(site)
    records: list[BlogPost] = []
    for blog in blogs(site):
        records.extend(page_record(router, post) for post in blog.posts)
        entries = feed_entries(router, blog, "/feeds/posts/full", "atom")
        records.extend(record_from_entry(entry) for entry in entries)
    return records


def test_the_json_dict_is_the_asdict_shape_for_page_and_feed_records() -> None:
    records = _records()
    assert any(post.comments for post in records)
    assert any(post.raw_page is not None for post in records)
    for post in records:
        data = post.to_json_dict()
        assert data == _reference(post), post.url
        assert list(data) == list(_reference(post))
        assert json.dumps(data) == json.dumps(_reference(post))


def test_the_json_dict_shares_no_list_with_the_post() -> None:
    post = BlogPost(
        url="https://x.blogspot.com/2024/01/p.html", body_paragraphs=["a"], labels=["l"]
    )
    data = post.to_json_dict()
    data["body_paragraphs"].append("b")
    data["labels"].append("m")
    assert post.body_paragraphs == ["a"]
    assert post.labels == ["l"]
    assert "raw_page" not in data
