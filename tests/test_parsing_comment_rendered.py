"""A thread as Blogger's script renders it, read from its text, is what the generic reader reads.

``comment_thread.read_thread`` reads the comments of the rendered ``li.comment`` markup (a page
saved from a browser: ``<li id="bc_0_0B" class="comment" kind="b">``, ids and ``kind`` on the
parts, replies nested in ``span[kind=d] > div.inline-thread > ol.thread-chrome > div``) from the
serialized container (``comment_rendered``) and the others by the generic walk. Here it is
compared with itself with the serialized readers switched off, on generated threads: the
rendered pieces Blogger's script writes (replies, deleted comments, blog-author comments,
anonymous ones, ``<br>`` texts, a loaded "Load more"), missing parts (no avatar, no actions,
no replies' box, no reply box), and irregular pieces that must go to the generic reader
(``cNNN`` item ids, other attribute orders and attributes, time attributes, nested elements,
entities, a ``<br>`` marker in the text, live "more" controls, ``<li`` in an HTML comment), in
both serializations libxml2 writes (XML, and XHTML for a page with an XHTML doctype). Every
field of every comment and the partial flag must be equal.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml.html import HtmlElement

from benchmarks.stress_pages import stress_pages
from crawler.parsing import comment_rendered, comment_thread
from crawler.parsing.comment_markup import counted_thread_items
from crawler.parsing.document import load_document
from tests.support.comment_readers import assert_fast_reads_as_generic, generic_thread

THREADS = Path(__file__).parent / "fixtures" / "pages" / "threads"

_XHTML = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
    "<html xmlns='http://www.w3.org/1999/xhtml'>"
)
_DOCTYPES = [_XHTML, "<!DOCTYPE html>\n<html>", "<html>"]

_ITEMS = (
    ['<li id="bc_0_1B" class="comment" kind="b">', '<li id="bc_0_27B" class="comment" kind="b">',
     '<li id="c6100000000000000009" class="comment" kind="b">',
     '<li id="c6100000000000000009&#10;" class="comment" kind="b">',
     '<li class="comment" kind="b" id="bc_0_2B">', '<li id="bc_0_3B" class="comment">',
     '<li id="bc_0_4B" class="comment" kind="x">',
     '<li id="bc_0_5B" class="comment loadmore" kind="b">',
     '<li id="bc_0_6B" class="comment" kind="b" data-timestamp="1244470020000">',
     '<li class="comment" id="c6100000000000000008">']
)  # fmt: skip
_AVATARS = (
    ['<div class="avatar-image-container"><img src="//img1.blogblog.com/img/blank.gif"></img>'
     "</div>",
     '<div class="avatar-image-container"><img src="https://x.example/a.jpg"></div>', "",
     '<div class="avatar-image-container"></div>',
     '<div class="avatar-image-container" id="c67"><img></div>',
     '<div class="avatar-image-container"><img class="loadmore"></div>',
     '<div class="avatar-image-container"><a href="https://x.example/a"><img></a></div>']
)  # fmt: skip
_BLOCKS = (
    ['<div id="c6100000000000000001" class="comment-block">',
     '<div id="c6100000000000000002" class="comment-block">',
     '<div class="comment-block">', '<div id="bc_0_1" class="comment-block">',
     '<div id="c1099342393048123456" class="comment-block">',
     '<div class="comment-block" id="c6100000000000000003">',
     '<div id="c6100000000000000004" class="comment-block" data-timestamp="1244470020000">',
     '<div id="c6100000000000000005&#10;" class="comment-block">',
     '<div id="c6100000000000000006" class="comment-block x">']
)  # fmt: skip
_HEADERS = (
    ['<div id="bc_0_1M" class="comment-header" kind="m">', '<div class="comment-header">',
     '<div id="c6100000000000000007" class="comment-header" kind="m">',
     '<div class="comment-header" kind="m" data-timestamp="1244470020000">',
     '<div id="bc_0_1M" class="comment-header x" kind="m">',
     '<div id="bc_0_1M" kind="m" class="comment-header">']
)  # fmt: skip
_SPACES = ["", "", "", " ", "\n    "]
_CITES = (
    ['<cite class="user"><a rel="nofollow" href="https://www.blogger.com/profile/1">Ann</a></cite>',
     '<cite class="user blog-author"><a rel="nofollow" href="https://www.blogger.com/profile/2">'
     "Nell</a></cite>", '<cite class="user">Anonymous</cite>',
     '<cite class="user"></cite>',
     '<cite class="user"><a rel="nofollow" href="#top">Top</a></cite>',
     '<cite class="user"><a rel="nofollow" href="https://x.example/p?showComment=1244470020000">p'
     "</a></cite>",
     '<cite class="user"><a rel="nofollow" href="mailto:a@b.example">a@b.example</a></cite>',
     '<cite class="user"><a rel="nofollow" href="https://x.example/"><b>B</b></a></cite>',
     '<cite class="user">By Ann, at 1:53 PM</cite>', '<cite class="user">Reader 1 said...</cite>',
     '<cite class="user">2019-07-26T07:47:00+02:00</cite>', '<cite class="user">1234</cite>',
     '<cite class="user"><a rel="nofollow" href="https://x.example/?a=1&amp;b=2">A &amp; B &lt;3'
     "</a></cite>",
     '<cite class="user"><a rel="nofollow" href="https://x.example/" class="loadmore">x</a></cite>',
     '<cite class="user"><a rel="nofollow" href="https://x.example/">\n</a></cite>',
     '<cite class="user comment-author">C</cite>', '<cite class="user">A<!-- n --></cite>',
     '<cite class="user">&#13;2019-07-26T07:47:00+02:00</cite>',
     '<span class="comment-author">Ann</span>']
)  # fmt: skip
_ICONS = (
    ['<span class="icon user"></span>', '<span class="icon user blog-author"></span>', "",
     '<span class="icon user">x</span>', '<img src="a.png">',
     '<span class="icon user comment-author"></span>', '<span class="icon user" id="c61"></span>']
)  # fmt: skip
_DATES = (
    ['<span class="datetime secondary-text"><a rel="nofollow" href="https://x.example/p.html?'
     'showComment=1244470020000#c6100000000000000001">June 8, 2009 at 2:07 PM</a></span>',
     '<span class="datetime secondary-text"><a rel="nofollow" href="https://x.example/p.html?'
     'showComment=1447522200000#c6200000000000000001">Saturday, November 14, 2015</a></span>',
     '<span class="datetime secondary-text"><a rel="nofollow" href="https://x.example/p.html#c61">'
     "10:53 PM</a></span>",
     '<span class="datetime secondary-text"><a rel="nofollow" href="https://x.example/p">'
     "2019-07-26T07:47:00+02:00</a></span>",
     '<span class="datetime secondary-text"><a rel="nofollow" href="https://x.example/p?'
     'showComment=0">June 8, 2009</a></span>',
     '<span class="datetime secondary-text"><a rel="nofollow" href="https://x.example/p"></a></span>',
     '<span class="datetime secondary-text"><a rel="nofollow" href="https://x.example/p" '
     'data-timestamp="1244470020000">t</a></span>',
     '<span class="datetime secondary-text"><time datetime="2009-06-08T14:07:00Z">t</time></span>',
     '<span class="datetime secondary-text"><a rel="nofollow" href="https://x.example/p?'
     'showComment=99999999999999">far</a></span>']
)  # fmt: skip
_TEXTS = (
    ['<p id="bc_0_1MC" class="comment-content">', '<p class="comment-content">',
     '<p id="bc_0_1MC" class="comment-content" dir="ltr">', '<div class="comment-content">',
     '<p class="comment-content deleted-comment">', '<p id="c6100000000000000009" class="x">']
)  # fmt: skip
_TEXT_PIECES = (
    ["Nice post.", "<br>", "<br><br>", "<br />", " ", "\n  ", "é &amp; ü &lt;b&gt;",
     "This comment has been removed by the author.",
     '<a href="https://x.example/" rel="nofollow">link</a>', "<b>b</b>", "<!-- c -->", "\x7f",
     "&#13;", "\u00a0nbsp", '<br class="x">', '<a href="x" class="y">c</a>',
     '<a href="https://x.example/?showComment=1244470020000">p</a>', "<wbr>",
     '<span class="deleted-comment">d</span>', "</div></div></div></div></div></div></div></div>"]
)  # fmt: skip
_DELETED = (
    ['<span class="deleted-comment">This comment has been removed by the author.</span>',
     '<span class="deleted-comment">This comment has been removed by a blog administrator.</span>',
     '<span class="deleted-comment">Dieser Kommentar wurde vom Autor entfernt.</span>',
     '\n<span class="deleted-comment"></span> ', '<span class="deleted-comment x">gone</span>',
     '<span class="deleted-comment"><b>gone</b></span>']
)  # fmt: skip
_ACTIONS = (
    ['<span id="bc_0_1MN" class="comment-actions secondary-text" kind="m"><a kind="i" href='
     '"javascript:;" target="_self" o="r">Reply</a><span class="item-control blog-admin pid-1">'
     '<a o="d" target="_self" href="https://www.blogger.com/delete-comment.g?blogID=1&amp;postID=2">'
     "Delete</a></span></span>",
     '<span id="bc_0_1MN" class="comment-actions secondary-text" kind="m"><span class="item-control'
     ' blog-admin pid-1"><a o="d" target="_self" href="https://www.blogger.com/x">Delete</a></span>'
     "</span>", "",
     '<span class="comment-actions secondary-text" kind="m"><a kind="i" href="javascript:;" '
     'target="_self" o="r">Reply</a></span>',
     '<span id="bc_0_1MN" class="comment-actions secondary-text" kind="m"></span>',
     '<span class="comment-actions secondary-text" kind="m"><a kind="i" href="https://x.example/p?'
     'showComment=1244470020000" target="_self" o="r">Reply</a></span>',
     '<span class="comment-actions secondary-text" kind="m"><a kind="i" href="#c6100000000000000011'
     '" target="_self" o="r">Reply</a></span>',
     '<span class="comment-actions secondary-text" kind="m"><a kind="i" href="javascript:;" '
     'target="_self" o="r" data-timestamp="1244470020000">Reply</a></span>',
     '<span class="comment-actions secondary-text" kind="m"><span class="item-control blog-admin">'
     '<a class="loadmore" href="x">m</a></span></span>',
     '<span class="comment-actions secondary-text" kind="m"><span class="x">y</span></span>',
     '<span class="comment-actions secondary-text"><a class="comment-reply" target="_self" '
     'data-comment-id="6100000000000000012">Reply</a></span>']
)  # fmt: skip
_EMPTY_REPLIES = (
    ['<div id="bc_0_1BR" class="comment-replies"></div>', "", '<div class="comment-replies"></div>',
     '<div id="bc_0_1BR" class="comment-replies" data-timestamp="1244470020000"></div>',
     '<div id="bc_0_1BR" class="comment-replies"> </div>',
     '<div id="bc_0_1BR" class="comment-replies"><span kind="d"></span></div>']
)  # fmt: skip
_REPLY_LISTS = (
    ['<ol id="bc_0_3TC" class="thread-chrome thread-expanded"><div>{}</div>',
     '<ol id="bc_0_3TC" class="thread-chrome thread-expanded" unselectable="on">'
     '<div style="zoom:1" unselectable="on">{}</div>',
     '<ol id="bc_0_3TC" class="thread-chrome thread-expanded">{}',
     '<ol id="c6100000000000000001-ra" class="thread-chrome thread-expanded"><div>{}</div>']
)  # fmt: skip
_TRAILERS = (
    ['<div id="bc_0_1B_box" class="comment-replybox-single"></div>', "",
     '<div class="comment-replybox-single" data-timestamp="1244470020000"></div>',
     '<div class="comment-footer">By Bob, at 1:53 PM</div>', "<!-- t -->",
     '<span class="deleted-comment"></span>',
     '<div id="bc_0_1B_box" class="comment-replybox-single"><a href="#c6100000000000000013">r</a>'
     "</div>"]
)  # fmt: skip
_LOADMORES = (
    ['<div id="bc_0_3L" class="loadmore loaded" kind="rb"><a href="javascript:;" target="_self">'
     "Load more...</a></div>", "",
     '<div id="bc_0_3L" class="loadmore" kind="rb"><a href="javascript:;">Load more...</a></div>',
     '<div class="loadmore hidden"><a>Load more...</a></div>',
     '<div id="bc_0_0L" class="loadmore" kind="rb" style="display: none;"><a>Load more</a></div>',
     '<div class="paging-control-container"><a href="x">2</a></div>',
     "<!-- <li class='comment'> -->", '<div class="loadmore&#10;loaded"></div>']
)  # fmt: skip

# opening, avatar, block, header, space, cite, icon, date, text, body, actions, replies, trailer
_Comment = tuple[str, str, str, str, str, str, str, str, str, str, str, str, str]


def _mostly(regular: list[str], every: list[str]) -> st.SearchStrategy[str]:
    """One of ``regular`` (the script's own pieces) mostly, else any piece.

    A comment has thirteen pieces and one irregular piece sends it to the generic reader, so
    the regular pieces must be common for the text reader to be compared often.
    """
    return st.sampled_from(regular * 11 + every)


_BODY = st.one_of(
    st.lists(_mostly(_TEXT_PIECES[:8], _TEXT_PIECES), max_size=5).map("".join),
    st.lists(_mostly(_TEXT_PIECES[:8], _TEXT_PIECES), max_size=5).map("".join),
    _mostly(_DELETED[:2], _DELETED),
)
_COMMENT = st.tuples(
    _mostly(_ITEMS[:2], _ITEMS),
    _mostly(_AVATARS[:3], _AVATARS),
    _mostly(_BLOCKS[:2], _BLOCKS),
    _mostly(_HEADERS[:2], _HEADERS),
    st.sampled_from(_SPACES),
    _mostly(_CITES[:3], _CITES),
    _mostly(_ICONS[:3], _ICONS),
    _mostly(_DATES[:3], _DATES),
    _mostly(_TEXTS[:2], _TEXTS),
    _BODY,
    _mostly(_ACTIONS[:4], _ACTIONS),
    _mostly(_EMPTY_REPLIES[:2], _EMPTY_REPLIES),
    _mostly(_TRAILERS[:2], _TRAILERS),
)


def _item(comment: _Comment, replies: str | None) -> str:
    """The item; ``replies`` (its nested replies' box) replaces its empty one when given."""
    opening, avatar, block, header, space, cite, icon, date, text, body, actions, empty, trailer = (
        comment
    )
    closing = f"</{text[1 : text.index(' ')]}>"
    box = empty if replies is None else replies
    return (
        f"{opening}{space}{avatar}{space}{block}{header}{space}{cite}{icon}{date}{space}</div>"
        f"{text}{body}{closing}{actions}{space}</div>{box}{trailer}</li>"
    )


def _replies(replies: list[_Comment], listing: str) -> str:
    """The replies' box as the script nests it: ``span > div.inline-thread > ol > div > li``."""
    inner = "".join(_item(reply, None) for reply in replies)
    return (
        '<div id="bc_0_2BR" class="comment-replies"><span id="bc_0_2b+seedQ" kind="d">'
        '<div id="bc_0_3T" class="comment-thread inline-thread" kind="t" t="0" u="0">'
        '<span id="bc_0_3TT" class="thread-toggle thread-expanded" kind="g"><span class='
        '"thread-count"><a href="javascript:;" target="_self">Replies</a></span></span>'
        f'{listing.format(inner)}<div id="bc_0_3I" class="continue" kind="ci"><a href='
        '"javascript:;" target="_self">Reply</a></div></ol><div id="bc_0_3T_box" '
        'class="comment-replybox-thread"></div></div></span></div>'
    )


_Thread = list[tuple[_Comment, list[_Comment], str]]


def _page(doctype: str, threads: _Thread, loadmore: str) -> HtmlElement:
    items = "".join(
        _item(comment, _replies(replies, listing) if replies else None)
        for comment, replies, listing in threads
    )
    page = (
        f"{doctype}<head><title>t</title></head><body><div class='post'><div class='post-body' "
        "id='body'>Post text.</div></div><div class='comments' id='comments'><h4>Comments:</h4>"
        "<div class='comments-content'><div id='comment-holder'><div id='bc_0_9C' kind='c'>"
        "<div id='bc_0_9CT'><div id='bc_0_8T' class='comment-thread' kind='r' t='0' u='0'>"
        f"<ol id='bc_0_8TB'>{items}</ol><div id='bc_0_8I' class='continue' kind='ci'><a href="
        "'javascript:;' target='_self'>Add comment</a></div><div id='bc_0_8T_box' "
        f"class='comment-replybox-thread'></div>{loadmore}</div></div></div></div></div></div>"
        "</body></html>"
    )
    return load_document(page.encode()).root


def _regular(block: str, body: str, **changes: str) -> _Comment:
    """A comment of the script's own pieces, with ``body`` as its text."""
    pieces = {
        "opening": _ITEMS[0], "avatar": _AVATARS[0], "block": block, "header": _HEADERS[0],
        "space": "", "cite": _CITES[0], "icon": _ICONS[0], "date": _DATES[0], "text": _TEXTS[0],
        "body": body, "actions": _ACTIONS[0], "empty": _EMPTY_REPLIES[0], "trailer": _TRAILERS[0],
    }  # fmt: skip
    pieces.update(changes)
    return tuple(pieces.values())  # type: ignore[return-value]


_FIRST = _regular(_BLOCKS[0], "One<br />two<br><br>three")
_REPLY = _regular(_BLOCKS[1], _DELETED[0], cite=_CITES[1], icon=_ICONS[1], actions=_ACTIONS[1])
_ANONYMOUS = _regular(_BLOCKS[1], "Hi.", cite=_CITES[2], avatar="", actions="", trailer="")
# Its stray end tags push the later comments out of the container (read from their scopes).
_UNBALANCED = _regular(_BLOCKS[0], "Hi.</div></div></div></div></div></div></div></div>")


@example(_XHTML, [(_FIRST, [_REPLY, _ANONYMOUS], _REPLY_LISTS[0])], _LOADMORES[0], None)
@example("<html>", [(_FIRST, [_REPLY], _REPLY_LISTS[1]), (_ANONYMOUS, [], "")], "", 5)
@example(_XHTML, [(_regular(_BLOCKS[0], "x", opening=_ITEMS[3]), [], "")], "", None)
@example("<html>", [(_UNBALANCED, [], ""), (_FIRST, [_REPLY], _REPLY_LISTS[0])], "", 3)
@settings(max_examples=1500, deadline=None)
@given(
    st.sampled_from(_DOCTYPES),
    st.lists(
        st.tuples(
            _COMMENT,
            st.lists(_COMMENT, max_size=2),
            _mostly(_REPLY_LISTS[:2], _REPLY_LISTS),
        ),
        min_size=1,
        max_size=3,
    ),
    _mostly(_LOADMORES[:2], _LOADMORES),
    st.sampled_from([None, None, 1, 40]),
)
def test_a_rendered_thread_reads_as_the_generic_reader_reads_it(
    doctype: str, threads: _Thread, loadmore: str, shown: int | None
) -> None:
    assert_fast_reads_as_generic(_page(doctype, threads, loadmore), shown)


@pytest.mark.parametrize("doctype", _DOCTYPES)
def test_the_scripts_markup_is_read_from_the_text(doctype: str) -> None:
    """Every comment the script renders (replies, deleted, anonymous) is read without a walk."""
    threads = [(_FIRST, [_REPLY, _ANONYMOUS], _REPLY_LISTS[0]), (_ANONYMOUS, [], "")]
    root = _page(doctype, threads, _LOADMORES[0])
    _assert_every_item_read_from_the_text(root.get_element_by_id("body"), 4)


@pytest.mark.parametrize(("name", "count"), [("layouts_rendered.html", 4), ("v2_rendered.html", 3)])
def test_the_rendered_fixtures_are_read_from_the_text(name: str, count: int) -> None:
    root = load_document((THREADS / name).read_bytes()).root
    body = root.find_class("post-body")[0]
    _assert_every_item_read_from_the_text(body, count)
    _assert_same_body(body)


def _assert_same_body(body: HtmlElement) -> None:
    fast = comment_thread.read_thread(body)
    generic = generic_thread(body, None)
    assert fast == generic
    assert fast.comments
    assert any(comment.deleted for comment in fast.comments)
    assert any(comment.parent is not None for comment in fast.comments)


def _assert_every_item_read_from_the_text(body: HtmlElement, count: int) -> None:
    container = comment_thread.thread_container(body)
    assert container is not None
    items, li_count = counted_thread_items(container)
    assert len(items) == count
    assert comment_rendered.is_rendered_item(items[0][1])
    serialized = comment_rendered.rendered_thread(container, li_count)
    assert serialized is not None
    for position, item in items:
        assert comment_rendered.read_item(serialized.items[position], item, None) is not None
    assert serialized.hidden_more_only()


def _rendered_stress_pages() -> list[tuple[str, bytes]]:
    return [(p.name, p.body) for p in stress_pages(seed=15) if p.name.startswith("rendered-")]


@pytest.mark.parametrize(("name", "page"), _rendered_stress_pages())
def test_the_rendered_stress_threads_are_read_from_the_text_as_generically(
    name: str, page: bytes
) -> None:
    """The benchmark's rendered threads (900 comments, both serializations) take the text path."""
    root = load_document(page).root
    body = root.find_class("post-body")[0]
    _assert_every_item_read_from_the_text(body, 900)
    _assert_same_body(body)
