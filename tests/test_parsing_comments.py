"""Comment counts as Blogger shows them, in any language, and None when comments are elsewhere."""

from __future__ import annotations

import pytest

from crawler.parsing import parse_page
from crawler.parsing.comments import count_from_text
from tests.support.parsing_pages import POST_URL, layouts_page


def _count(comments_html: str) -> int | None:
    page = layouts_page("<p>Body.</p>", comments_html=comments_html)
    return parse_page(POST_URL, page.encode("utf-8")).comment_count


@pytest.mark.parametrize(
    ("heading", "count"),
    [
        ("24 comments:", 24),
        ("1 comment:", 1),
        ("No comments:", 0),
        ("No comments :", 0),
        ("Keine Kommentare:", 0),
        ("Aucun commentaire:", 0),
        ("1 Meinungen:", 1),
        ("3 Kommentare:", 3),
        ("Sin comentarios:", 0),
        ("1.234 Kommentare:", 1234),
    ],
)
def test_localized_comment_headings_give_the_count(heading: str, count: int) -> None:
    assert (
        _count(f"<a name='comments'></a><h4>{heading}</h4><div class='comments-content'></div>")
        == count
    )


def test_a_heading_without_a_number_counts_the_thread_including_replies() -> None:
    thread = (
        "<h4>Kommentare:</h4><div class='comments-content'><div id='comment-holder'>"
        "<ol><li class='comment'>a<ol><li class='comment'>reply</li></ol></li></ol></div></div>"
    )
    assert _count(thread) == 2


def test_data_num_comments_wins_over_a_heading_without_number() -> None:
    html = layouts_page("<p>Body.</p>").replace(
        "<div class='comments' id='comments'></div>",
        "<section class='comments' data-num-comments='12' id='comments'>"
        "<h3>Comments</h3></section>",
    )
    assert parse_page(POST_URL, html.encode("utf-8")).comment_count == 12


def test_an_empty_comments_block_means_comments_are_off() -> None:
    assert _count("<a name='comments'></a>") is None


def test_a_backlinks_block_alone_means_comments_are_off() -> None:
    backlinks = (
        "<div id='backlinks-container'><a name='links'></a><h4>Links to this post</h4></div>"
    )
    assert _count(backlinks) is None


def test_a_wordpress_style_response_heading_gives_the_count() -> None:
    heading = "<div class='x'><h3>4 Responses to \"A post\"</h3></div>"
    assert _count(heading) == 4


@pytest.mark.parametrize(
    ("text", "count"),
    [("24 comments:", 24), ("No comments", 0), ("Kommentare:", None), ("Post a Comment", None)],
)
def test_count_from_text_reads_numbers_and_zero_words(text: str, count: int | None) -> None:
    assert count_from_text(text) == count
