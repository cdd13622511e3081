"""Classic templates without a body class: the post is what ``<$BlogItemBody$>`` writes."""

from __future__ import annotations

import lxml.html
import pytest

from crawler.parsing import NotAPostError, parse_page
from crawler.parsing.body import body_paragraphs, paragraphs_between
from tests.support.parsing_pages import fixture_text

URL = "http://quarryroad.example.org/notes/2008/11/drystone-second-course.html"
START = '<div style="clear:both;"></div>'
END = '<div style="clear:both; padding-bottom:0.25em"></div>'


def _page() -> str:
    return fixture_text("classic_custom_markup.html")


def test_the_text_between_the_markers_is_the_body_and_the_heading_before_them_the_title() -> None:
    post = parse_page(URL, _page().encode())
    assert post.extractor == "blogger-classic"
    assert post.title == "Drystone: the second course"
    assert post.body_paragraphs[-1] == "Two copers cracked in the frost and had to be split again."
    # The sidebar's recent items and the byline beside the markers stay out of the body.
    assert not any("Gatepost" in p or "posted by" in p for p in post.body_paragraphs)


def test_links_inside_the_body_are_not_the_posts_labels() -> None:
    assert parse_page(URL, _page().encode()).labels == ["walls", "lane"]


def test_an_archive_page_of_such_a_template_is_a_listing() -> None:
    page = _page()
    block_start = page.index('<a name="4410029384756102938">')
    block_end = page.index('<p class="blogger-labels">')
    second = page[block_start:block_end].replace("4410029384756102938", "4410029384756102939")
    with pytest.raises(NotAPostError, match="listing of 2 posts"):
        parse_page(
            URL,
            page.replace(
                page[block_start:block_end], page[block_start:block_end] + second
            ).encode(),
        )


@pytest.mark.parametrize("dropped", [START, END])
def test_a_marker_without_its_pair_is_no_body(dropped: str) -> None:
    with pytest.raises(NotAPostError, match="no post body"):
        parse_page(URL, _page().replace(dropped, "").encode())


def test_the_text_between_two_siblings_is_written_and_the_tree_left_as_it_was() -> None:
    root = lxml.html.fragment_fromstring(
        f"<div>{START}one<br><br>two<p>three</p>{END}<p>after</p></div>"
    )
    before = lxml.html.tostring(root)
    start, end = root[0], root[-2]
    assert paragraphs_between(start, end) == ["one", "two", "three"]
    assert lxml.html.tostring(root) == before


@pytest.mark.parametrize(
    "between",
    [
        "one<br>two<br><br>three",
        " <p>a</p> tail <b>bold</b><br><br><div>block <i>x</i></div>after<pre> pre\n  kept</pre>",
        '<span class="post-share-buttons">share</span>text<br><br class="x"><ul><li>i</li></ul>',
        "<table><tr><td>c1</td><td>c2</td></tr></table><br>last",
    ],
)
def test_writing_the_range_gives_what_the_body_writer_gives_for_an_element_holding_it(
    between: str,
) -> None:
    root = lxml.html.fragment_fromstring(f"<div>{START}{between}{END}</div>")
    start, end = root[0], root[-1]
    holder = lxml.html.fragment_fromstring(f"<div>{between}</div>")
    assert paragraphs_between(start, end) == body_paragraphs(holder)
