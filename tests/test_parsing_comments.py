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


def _post_with(comments_html: str, *, footer_link: str = "", title: str = "A post") -> int | None:
    """Count comments on a Layouts page whose post footer may carry a comment link."""
    page = layouts_page("<p>Body.</p>", comments_html=comments_html, title=title)
    if footer_link:
        page = page.replace(
            "<div class='post-footer'>", f"<div class='post-footer'>{footer_link}", 1
        )
    return parse_page(POST_URL, page.encode("utf-8")).comment_count


THREAD = (
    "<div class='comments-content'><div id='comment-holder'><ol>"
    "<li class='comment'>a</li><li class='comment'>b</li></ol></div></div>"
)


def test_a_heading_with_threads_and_comments_gives_way_to_its_data_count() -> None:
    heading = "<h4 class='comments-title' data-count='292'>78 楼 / 292 条评论</h4>"
    assert _post_with(heading + THREAD) == 292


def test_a_counter_inside_the_section_states_the_total() -> None:
    heading = "<h4>78 楼 / 292 条评论</h4><span class='comment-count' data-count='292'></span>"
    assert _post_with(heading + THREAD) == 292


def test_the_comment_link_wins_over_a_heading_that_is_not_the_total() -> None:
    link = "<a class='comment-link' href='#comments'>292 条评论</a>"
    assert _post_with("<h4>78 楼 / 292 条评论</h4>" + THREAD, footer_link=link) == 292


def test_the_comment_link_wins_when_it_disagrees_with_the_heading() -> None:
    link = "<a href='https://fixture-blog.blogspot.com/2020/05/a-post.html#comments'>7 comments</a>"
    assert _post_with("<h4>5 comments:</h4>" + THREAD, footer_link=link) == 7


def test_a_link_that_counts_nothing_does_not_outvote_the_heading() -> None:
    link = "<a class='comment-link' href='#comment-form'>Post a Comment</a>"
    assert _post_with("<h4>5 comments:</h4>" + THREAD, footer_link=link) == 5


def test_a_heading_of_two_numbers_without_any_total_falls_back_to_the_thread() -> None:
    assert _post_with("<h4>78 楼 / 292 条评论</h4>" + THREAD) == 2


def test_numbers_in_the_quoted_title_do_not_make_a_heading_ambiguous() -> None:
    heading = "<h4>24 comments on “Top 10 of 2019”</h4>"
    assert _post_with(heading + THREAD, title="Top 10 of 2019") == 24


@pytest.mark.parametrize(("heading", "count"), [("Comments (5)", 5), ("Kommentare (12):", 12)])
def test_a_heading_with_its_total_in_parentheses_gives_it(heading: str, count: int) -> None:
    assert _post_with(f"<h4>{heading}</h4>" + THREAD) == count


def test_a_comment_link_inside_the_thread_is_not_the_posts_link() -> None:
    # A commenter's "3 comments" link in the thread says nothing of this post's total: the
    # post's own comment link is outside its thread, and the heading's total stands.
    thread = (
        "<h4>5 comments:</h4><div class='comments-content'><div id='comment-holder'><ol>"
        "<li class='comment'>See <a class='comment-link' href='/2019/x.html#comments'>"
        "3 comments</a> on my post</li></ol></div></div>"
    )
    assert _count(thread) == 5


def test_the_posts_own_comment_link_outside_the_thread_still_wins_over_the_heading() -> None:
    page = layouts_page(
        "<p>Body.</p>",
        comments_html="<h4>78 楼 / 292 条评论</h4><div class='comments-content'></div>",
    ).replace(
        "</span></span></div>",
        "</span></span><a class='comment-link' href='#comments'>292 comments</a></div>",
    )
    assert parse_page(POST_URL, page.encode("utf-8")).comment_count == 292
