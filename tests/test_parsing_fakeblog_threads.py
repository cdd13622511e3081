"""The comment thread of every theme family the fake blog renders parses to its comments.

Each comment's id, author, time and text (or deletion) must be the fake blog's own, so a
name or a time that a theme prints beside the text can never end up in it unnoticed.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from crawler.items import BlogComment
from crawler.parsing import parse_page
from tests.fakeblog import FakeBlogger
from tests.fakeblog.model import FakeBlog
from tests.fakeblog.posts import FakeComment, page_thread
from tests.fakeblog.routes import Router
from tests.fakeblog.spec import THEMES


@pytest.fixture(scope="module")
def site() -> FakeBlogger:
    return FakeBlogger.default(faults=False)


def _sites(site: FakeBlogger, theme: str) -> list[FakeBlogger]:
    """The default blogs, and one of ``theme`` with every kind of comment (replies, removed
    comments, anonymous and non-English ones)."""
    varied = FakeBlogger.single(
        posts=25, theme=theme, host=f"varied-{theme}.blogspot.com", comment_kinds=True
    )
    return [site, varied]


def _differences(expected: FakeComment, got: BlogComment) -> list[str]:
    problems = []
    if got.id != expected.comment_id:
        problems.append(f"id {got.id!r}")
    if got.author != expected.author:
        problems.append(f"author {got.author!r}")
    # Themes that print the time as text show whole seconds; the permalink shows milliseconds.
    if got.published is None or abs(got.published - expected.published) >= timedelta(seconds=1):
        problems.append(f"published {got.published!r}")
    if (got.paragraphs, got.deleted) != (expected.paragraphs, expected.deleted):
        problems.append(f"text {got.paragraphs!r} deleted={got.deleted}")
    return problems


def _check_posts(router: Router, blog: FakeBlog, tally: Counter[str]) -> list[str]:
    """Parse every post page of ``blog``; return what differs from its shown comments."""
    problems: list[str] = []
    for post in blog.posts:
        shown, _ = page_thread(post)
        if not shown:
            continue
        got = parse_page(post.url, router.respond(blog.host, post.path, "").body).comments
        if len(got) != len(shown):
            problems.append(f"{post.url}: {len(got)} comments parsed, {len(shown)} shown")
            continue
        for expected, comment in zip(shown, got, strict=True):
            tally["comments"] += 1
            tally["deleted"] += expected.deleted
            tally["replies"] += expected.parent_id is not None
            problems += [
                f"{post.url} c{expected.comment_id}: {problem}"
                for problem in _differences(expected, comment)
            ]
    return problems


@pytest.mark.parametrize("theme", THEMES)
def test_every_theme_familys_page_thread_gives_each_comments_author_time_and_text(
    site: FakeBlogger, theme: str
) -> None:
    problems: list[str] = []
    tally: Counter[str] = Counter()
    for blogger in _sites(site, theme):
        router = Router(blogger)
        for blog in blogger.blogs:
            if blog.spec.theme == theme:
                problems += _check_posts(router, blog, tally)
    assert problems == []
    # The thread held every kind of comment, so no check above went unexercised.
    assert tally["comments"] >= 40, tally
    assert tally["deleted"] >= 2, tally
    assert tally["replies"] >= 5, tally
