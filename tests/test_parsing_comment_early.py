"""The first templates' comment block (``div.blogComments``), and their markers' spellings."""

from __future__ import annotations

import pytest

from crawler.parsing import parse_page
from tests.support.parsing_pages import fixture_bytes

URL = "http://harbourlight.example.net/log/2006/01/re-leading-north-lantern.php"
EARLY_END = '<div style="clear:both; padding-bottom: 0.25em;"></div>'


def _page() -> str:
    return fixture_bytes("classic_early_comments.html").decode("utf-8")


def test_each_comment_of_the_block_is_read_and_they_are_the_count() -> None:
    post = parse_page(URL, _page().encode())
    assert post.comment_count == 2
    assert [c.id for c in post.comments] == ["113702982096865524", "113712450012345678"]
    # "posted by NAME: TIME" (no space before the colon) names the author, link and all.
    assert [(c.author, c.author_url) for c in post.comments] == [
        ("Piers Kemble", "http://www.blogger.com/profile/963786"),
        ("Anonymous", None),
    ]
    # The byline, the permalink and the delete control are not the comment's text.
    assert post.comments[0].paragraphs == [
        "Did the old lead come away cleanly, or did you have to heat it?"
    ]


def test_an_empty_block_states_no_count() -> None:
    page = _page()
    first = page.index('<div class="blogComment">')
    last = page.index('<a class="comment-link"')
    post = parse_page(URL, (page[:first] + page[last:]).encode())
    assert post.comments == []
    assert post.comment_count is None


def test_a_block_inside_the_post_text_is_not_its_thread() -> None:
    # A post quoting such a block (between the markers) shows no thread of its own.
    page = _page()
    block = page[page.index('<div class="blogComments">') : page.index('<a class="comment-link"')]
    moved = page.replace(block, "").replace(EARLY_END, block + "</div>" + EARLY_END)
    post = parse_page(URL, moved.encode())
    assert "Heated, in the end." in "\n".join(post.body_paragraphs)
    assert post.comments == []
    assert post.comment_count is None


def test_a_short_number_is_no_comment_id() -> None:
    page = (
        _page()
        .replace('name="113712450012345678"', 'name="42"')
        .replace("#113712450012345678", "#42")
    )
    post = parse_page(URL, page.encode())
    assert [c.id for c in post.comments] == ["113702982096865524", None]


@pytest.mark.parametrize(
    "style",
    [
        "clear:both; padding-bottom:0.25em",
        "clear:both; padding-bottom: 0.25em;",
        "clear: both; padding-bottom: 0.25em",
        "clear:both;padding-bottom:0.25em;;",
    ],
)
def test_every_spelling_of_the_end_marker_closes_the_body(style: str) -> None:
    post = parse_page(URL, _page().replace(EARLY_END, f'<div style="{style}"></div>').encode())
    assert post.extractor == "blogger-classic"
    assert post.body_paragraphs[-1].startswith("We cut new strip")


@pytest.mark.parametrize(
    "style", ["clear:both; padding-bottom: 0.5em;", "clear:left; padding-bottom: 0.25em;"]
)
def test_other_declarations_are_no_end_marker(style: str) -> None:
    from crawler.parsing import NotAPostError

    with pytest.raises(NotAPostError, match="no post body"):
        parse_page(URL, _page().replace(EARLY_END, f'<div style="{style}"></div>').encode())


def test_the_date_is_read_with_the_month_of_a_post_file_of_any_extension() -> None:
    # "1/05/2006" is January 5 or May 1; the URL's /2006/01/ decides, whatever its extension.
    page = _page().replace("1/15/2006", "1/05/2006").encode()
    for url in (URL, URL.replace(".php", ".asp")):
        published = parse_page(url, page).published
        assert published is not None
        assert published.date().isoformat() == "2006-01-05"
    # Without the URL nothing tells the two readings apart: no date rather than a wrong one.
    assert parse_page("", page).published is None
