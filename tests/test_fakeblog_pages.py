"""The fake blog's pages weigh what real Blogger pages weigh, and our parser still reads them."""

from __future__ import annotations

import statistics

import pytest

from crawler.extraction import parse_and_clean
from tests.fakeblog import FakeBlogger
from tests.fakeblog.routes import Router, splice
from tests.fakeblog.spec import THEMES
from tests.fakeblog.themes.chrome import chrome
from tests.fakeblog.themes.skin import skin_css


@pytest.fixture(scope="module")
def site() -> FakeBlogger:
    return FakeBlogger.default(faults=False)


@pytest.fixture(scope="module")
def router(site: FakeBlogger) -> Router:
    return Router(site)


def test_every_default_post_parses_exactly_from_its_full_weight_page(
    site: FakeBlogger, router: Router
) -> None:
    problems = []
    for url, expected in site.expected_posts().items():
        blog = site.blog(expected.url.split("/")[2])
        body = router.respond(blog.host, expected.path, "").body
        got = parse_and_clean(expected.url, body, content_type="text/html; charset=UTF-8")
        if (got.title, got.body_paragraphs, got.comment_count) != (
            expected.title,
            expected.paragraphs,
            expected.comment_count,
        ):
            problems.append(url)
    assert problems == []


@pytest.mark.parametrize("theme", THEMES)
def test_post_pages_of_every_theme_weigh_like_the_corpus_median(
    site: FakeBlogger, router: Router, theme: str
) -> None:
    blog = next(b for b in site.blogs if b.spec.theme == theme)
    sizes = [router.respond(blog.host, post.path, "").length for post in blog.posts]
    assert 120_000 <= statistics.median(sizes) <= 220_000
    assert 120_000 <= router.respond(blog.host, "/", "").length <= 220_000


def test_a_big_blog_keeps_its_pages_near_the_median_despite_its_long_archive() -> None:
    site = FakeBlogger.single(posts=2000, theme="layouts", host="big.blogspot.com")
    blog = site.blogs[0]
    sizes = [Router(site).respond(blog.host, post.path, "").length for post in blog.posts[:50]]
    assert 140_000 <= statistics.median(sizes) <= 200_000


def test_cached_pages_of_a_blog_share_one_copy_of_its_chrome(
    site: FakeBlogger, router: Router
) -> None:
    blog = site.blogs[0]
    first, second = (router.respond(blog.host, post.path, "") for post in blog.posts[:2])
    shared = {id(chunk) for chunk in first.chunks} & {id(chunk) for chunk in second.chunks}
    assert sum(len(c) for c in first.chunks if id(c) in shared) > 100_000


def test_spliced_chunks_join_back_to_the_page_text() -> None:
    text = "<head>SKIN</head><body>NAV main WIDGETS</body>TAIL"
    shared = [(part, part.encode()) for part in ("TAIL", "SKIN", "WIDGETS", "absent")]
    chunks = splice(text, shared)
    assert b"".join(chunks) == text.encode()
    assert shared[0][1] in chunks


def test_the_skin_is_the_same_text_every_time_and_has_no_repeated_rule() -> None:
    css = skin_css("contempo", 30_000)
    assert css == skin_css("contempo", 30_000)
    rules = [line for line in css.splitlines() if line.startswith(".")]
    assert len(rules) > 100
    assert len(set(rules)) > 0.95 * len(rules)


def test_the_archive_widget_lists_years_months_and_the_newest_months_posts(
    site: FakeBlogger,
) -> None:
    blog = site.blogs[0]
    widgets = chrome(blog).widgets
    newest = blog.posts[0]
    assert f"<a href='{newest.url}'>" in widgets
    assert f"{blog.base_url}/{newest.published.astimezone(blog.tz):%Y/%m}/" in widgets
    assert "class='archivedate collapsed'" in widgets or len(blog.sidebar_months) == 1
