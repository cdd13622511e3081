"""The first templates' comment block (``div.blogComments``), and their markers' spellings."""

from __future__ import annotations

from unittest import mock

import pytest
from lxml.html import HtmlElement

from benchmarks.stress_pages import stress_pages
from crawler.items import BlogComment
from crawler.parsing import comment_early, comment_thread, parse_page
from crawler.parsing.comment_markup import early_blocks
from crawler.parsing.document import load_document
from tests.support.comment_readers import none_for_each
from tests.support.parsing_pages import fixture_text

URL = "http://harbourlight.example.net/log/2006/01/re-leading-north-lantern.php"
EARLY_END = '<div style="clear:both; padding-bottom: 0.25em;"></div>'


def _page() -> str:
    return fixture_text("classic_early_comments.html")


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
    # Without the URL, the date's own link (the byline's permalink) states its month ...
    published = parse_page("", page).published
    assert published is not None
    assert published.date().isoformat() == "2006-01-05"
    # ... and without that either, nothing tells the two readings apart: no date, not a wrong one.
    unlinked = page.replace(b'at <a href="http://harbourlight', b'at <a href="ftp://harbourlight')
    assert unlinked != page
    assert parse_page("", unlinked).published is None


# The blocks read from their serialization (comment_early.read_blocks) against the generic
# reader (comment_fields' walk), block by block: every variant must read the same both ways,
# and the shapes the module documents must take the fast path.

_FIRST_BLOCK_TEXT = "Did the old lead come away cleanly, or did you have to heat it?"


def _block_of(page: str) -> HtmlElement:
    root = load_document(page.encode()).root
    return root.find_class("blogComments")[0]


def _read_both_ways(page: str) -> tuple[list[BlogComment], list[BlogComment | None]]:
    """Return the generic reader's comments, and the fast reader's (None: left to generic)."""
    block = _block_of(page)
    items = [place.item for place in early_blocks(block)]
    fast = comment_thread.read_container(block)
    with mock.patch.object(comment_early, "read_blocks", side_effect=none_for_each):
        generic = comment_thread.read_container(block)
    assert fast == generic
    return generic.comments, comment_early.read_blocks(block, items).comments


def _read_variant(old: str, new: str) -> tuple[list[BlogComment], list[BlogComment | None]]:
    """:func:`_read_both_ways` of the fixture page with ``old`` (which it holds) made ``new``."""
    page = _page()
    assert old in page
    return _read_both_ways(page.replace(old, new, 1))


def test_the_fixture_blocks_are_read_from_their_serialization() -> None:
    comments, fast = _read_both_ways(_page())
    assert fast == comments
    assert comments[0].published is not None  # the pre-2007 id's time, its minutes shown


_FAST_VARIANTS = {
    "a short anchor": ('name="113702982096865524"', 'name="42"'),
    "an entity in the name": (">Piers Kemble<", ">Piers &amp; Kemble<"),
    "a name shown apart from the link": (">Piers Kemble</a>: 5:37", ">Piers</a> Kemble: 5:37"),
    "other minutes": ("Kemble</a>: 5:37 PM", "Kemble</a>: 5:38 PM"),
    "inline markup": (
        "heat it?",
        "<b>heat</b> <i>it</i><u>?</u> <a href='/x' rel='nofollow'>x</a>",
    ),
    "lines and paragraphs": ("cleanly, or", "cleanly,<br />or<br/><BR/>&nbsp; <br>"),
    "a removal notice": (_FIRST_BLOCK_TEXT, "This post has been removed by the author."),
    "no control": (
        '<span class="item-control admin-1811622599 pid-1265515124"><a style="border:none;" '
        'href="http://www.blogger.com/delete-comment.g?blogID=7173751&amp;postID=113702982096865524"'
        ' title="Delete Comment"><span class="delete-comment-icon">&nbsp;</span></a></span>',
        "",
    ),
    "an image control": (
        '<span class="delete-comment-icon">&nbsp;</span>',
        '<img src="http://www.blogger.com/img/icon_delete13.gif" alt="" />',
    ),
}


@pytest.mark.parametrize("name", sorted(_FAST_VARIANTS))
def test_a_block_of_the_documented_shape_is_read_fast_as_generically(name: str) -> None:
    comments, fast = _read_variant(*_FAST_VARIANTS[name])
    assert fast == comments


_GENERIC_VARIANTS = {
    "an anchor with an id of its own": (
        'name="113702982096865524"',
        'name="1137029820968" id="c7"',
    ),
    "two anchors": ("heat it?", 'heat <a name="113702982096865599"></a>it?'),
    "a #c permalink": ("re-leading-north-lantern.php#113702982096865524", "x.php#c1137029820"),
    "a showComment link": ("heat it?", "<a href='/p.html?showComment=1137029820968'>it</a>?"),
    "a control showing text": ('<span class="delete-comment-icon">&nbsp;</span>', "Delete"),
    "no text": (_FIRST_BLOCK_TEXT + "<br />", ""),
    "a classed element in the text": ("heat it?", "heat <span class='x'>it</span>?"),
    "text after the byline": ("</span></a></span>\n      </div>", "</span></a></span>P.S.</div>"),
    "the cut's marker in the text": ("heat it?", "heat\x7f it?"),
}


@pytest.mark.parametrize("name", sorted(_GENERIC_VARIANTS))
def test_a_block_of_another_shape_is_left_to_the_generic_reader(name: str) -> None:
    comments, fast = _read_variant(*_GENERIC_VARIANTS[name])
    assert fast[0] is None
    assert fast[1] == comments[1]  # the block after it is still read fast


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # A start tag the text holds that is no block: the positions cannot be trusted.
        ("<b><i>Comments:</i></b>", '<b><i>Comments:</i></b><!-- <div class="blogComment"> -->'),
        # A block with more attributes than its class: another writer's markup.
        ('<div class="blogComment">', '<div class="blogComment" id="first">'),
    ],
)
def test_a_block_list_that_the_text_may_misplace_is_left_whole_to_the_generic_reader(
    old: str, new: str
) -> None:
    comments, fast = _read_both_ways(_page().replace(old, new, 1))
    assert fast == [None, None]
    assert len(comments) == 2


_XHTML = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
)


@pytest.mark.parametrize("name", sorted(_FAST_VARIANTS))
def test_an_xhtml_page_s_blocks_are_read_fast_as_generically(name: str) -> None:
    # libxml2 serializes such a tree XHTML-style: <br />, <a name="X" id="X"></a>.
    old, new = _FAST_VARIANTS[name]
    page = _page().replace(old, new, 1)
    page = _XHTML + page[page.index("<html") :]
    comments, fast = _read_both_ways(page)
    assert fast == comments


def test_the_stress_page_thread_is_read_fast_as_generically() -> None:
    """The benchmark's first-templates page: 300 blocks of every variant it generates."""
    (page,) = [p for p in stress_pages(seed=15) if p.name.startswith("early-thread/")]
    comments, fast = _read_both_ways(page.body.decode("utf-8"))
    assert len(comments) == 300
    assert fast == comments
    assert any(c.deleted for c in comments)
    assert any(c.author_url is None for c in comments)
    assert all(c.published is not None for c in comments)


def test_a_more_control_in_the_block_is_found_though_its_comments_are_read_fast() -> None:
    # The serialized text tells whether to search for "more" controls; one that is there is.
    control = '<div class="paging-control-container"><a href="?commentPage=2">2</a></div>'
    anchor = '<a class="comment-link"'
    page = _page().replace(anchor, control + anchor, 1)
    block = _block_of(page)
    assert comment_thread.read_container(block).partial
    comments, fast = _read_both_ways(page)
    assert fast == comments
    assert not comment_thread.read_container(_block_of(_page())).partial
