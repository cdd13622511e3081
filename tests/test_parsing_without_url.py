"""Pages judged and read from their markup alone: no fetch URL, as `blogingest parse FILE`.

Every post fixture gives the same record without its URL (dates, authors and counts come
from the page, not from the URL's shape), and every non-post kind is rejected without it:
by Blogger's declaration, by the page's own canonical URL, or by structure alone (the
``non_posts_by_structure.json`` fixtures have neither a canonical link nor a ``pageType``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from blogingest.cli import main
from blogingest.errors import EXIT_NOT_A_POST
from crawler.parsing import NotAPostError, parse_page
from tests.support.parsing_pages import FIXTURES, fixture_bytes

POST_FIXTURES = sorted(
    path.name.removesuffix(".expected.json") for path in FIXTURES.glob("*.expected.json")
)
NON_POSTS: dict[str, list[str]] = json.loads((FIXTURES / "non_posts.json").read_text("utf-8"))
BY_STRUCTURE: dict[str, str] = json.loads(
    (FIXTURES / "non_posts_by_structure.json").read_text("utf-8")
)
# What a page states about itself; the url fields depend on the source by design.
PAGE_FIELDS = ("title", "body_paragraphs", "comment_count", "author", "published", "labels")


def _expected(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.expected.json").read_text("utf-8"))


def _undeclared(name: str) -> bytes:
    """The fixture without its ``pageType``, so that only its structure speaks."""
    body = re.sub(rb"'pageType': '\w+',?", b"", fixture_bytes(name))
    assert b"pageType" not in body
    return body


@pytest.mark.parametrize("name", POST_FIXTURES)
def test_a_post_reads_the_same_without_its_url(name: str) -> None:
    expected = _expected(name)
    record = parse_page("", fixture_bytes(f"{name}.html")).to_json_dict()
    for key in PAGE_FIELDS:
        if key in expected:
            assert record[key] == expected[key], key


@pytest.mark.parametrize("name", sorted(NON_POSTS))
def test_every_non_post_kind_is_rejected_without_its_url(name: str) -> None:
    with pytest.raises(NotAPostError) as raised:
        parse_page("", fixture_bytes(name))
    assert "\n" not in raised.value.reason


@pytest.mark.parametrize(("name", "reason"), sorted(BY_STRUCTURE.items()))
def test_a_non_post_without_url_canonical_or_page_type_is_known_by_structure(
    name: str, reason: str
) -> None:
    body = fixture_bytes(name)
    assert b"canonical" not in body
    assert b"og:url" not in body
    assert b"pageType" not in body
    with pytest.raises(NotAPostError) as raised:
        parse_page("", body)
    assert raised.value.reason == reason


def test_the_command_rejects_a_listing_file_by_structure(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["parse", str(FIXTURES / "home_pager_only.html")]) == EXIT_NOT_A_POST
    assert capsys.readouterr().err == (
        "blogingest parse: not a post: listing (its pager pages through a listing)\n"
    )


def test_a_popular_posts_widget_does_not_make_a_post_a_listing() -> None:
    widget = (
        "<div class='widget PopularPosts'><article class='post-outer-container'>a</article>"
        "<article class='post-outer-container'>b</article>"
        "<div class='jump-link'><a href='x.html#more'>Read more</a></div></div>"
    )
    html = _undeclared("plus_ui.html").replace(b"</body>", widget.encode() + b"</body>")
    assert parse_page("", html).title == _expected("plus_ui")["title"]


def test_an_item_page_with_an_older_post_pager_stays_a_post() -> None:
    pager = (
        "<a class='blog-pager-older-link' href='https://x.blogspot.com/2019/01/older.html'>"
        "Older Post</a><a class='blog-pager-newer-link' href='/2019/03/newer.html'>Newer</a>"
    )
    html = _undeclared("simple.html").replace(b"</body>", pager.encode() + b"</body>")
    assert parse_page("", html).title == _expected("simple")["title"]


@pytest.mark.parametrize("name", ["minima", "simple", "notable", "contempo", "plus_ui", "disqus"])
def test_a_post_without_its_declared_type_is_not_taken_for_a_listing(name: str) -> None:
    assert parse_page("", _undeclared(f"{name}.html")).title == _expected(name)["title"]


def test_the_structure_fixtures_are_listed() -> None:
    on_disk = {p.name for p in FIXTURES.glob("*.html")}
    assert set(BY_STRUCTURE) <= on_disk
    assert not set(BY_STRUCTURE) & set(NON_POSTS)
    assert Path(FIXTURES / "non_posts_by_structure.json").is_file()


def test_a_related_posts_box_reusing_post_classes_does_not_make_a_listing() -> None:
    related = (
        "<div class='related'><div class='post-outer'><a href='a.html'>A</a></div>"
        "<div class='post-outer'><a href='b.html'>B</a></div>"
        "<div class='jump-link'><a href='a.html#more'>Read more</a></div></div>"
    )
    html = _undeclared("minima.html").replace(b"</body>", related.encode() + b"</body>")
    assert parse_page("", html).title == _expected("minima")["title"]


def test_a_second_post_block_with_a_title_makes_a_listing() -> None:
    block = "<div class='post-outer'><h3 class='post-title'><a href='b.html'>B</a></h3></div>"
    html = _undeclared("minima.html").replace(b"</body>", block.encode() + b"</body>")
    with pytest.raises(NotAPostError, match="listing of 2 post blocks"):
        parse_page("", html)
