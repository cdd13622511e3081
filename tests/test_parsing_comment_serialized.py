"""A threaded thread read from its serialized text gives what the generic reader gives.

``comment_thread.read_thread`` reads the comments of Blogger's own ``li.comment`` markup from
the serialized container (``comment_serialized``) and the others by the generic walk; here it
is compared with itself with the serialized reader switched off, on generated threads: items,
avatars, headers, links, texts, actions, replies and trailing boxes with the attributes,
children and text Blogger's Layouts and 2017 widgets print, and with the irregular ones that
must go to the generic reader (other classes and attribute orders, ids, time attributes,
nested elements, entities, a ``<br>`` marker in the text, "more" controls, ``<li`` inside an
HTML comment, a part after the replies). Every field of every comment and the partial flag
must be equal.
"""

from __future__ import annotations

import itertools
import re

from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml.html import HtmlElement

from crawler.parsing import comment_serialized, comment_thread
from crawler.parsing.comment_markup import counted_thread_items
from crawler.parsing.document import load_document
from tests.support.comment_readers import assert_fast_reads_as_generic

_ITEMS = (
    ['<li class="comment" id="c6100000000000000001">',
     '<li class="comment" id="c6100000000000000001">',
     '<li class="comment" id="c1099342393048123456">', '<li class="comment">',
     '<li id="c6100000000000000003" class="comment">', '<li class="comment loadmore" id="c64">',
     '<li class="comment" id="x1">', '<li class="comment" id="c65" data-timestamp="1244470020000">',
     '<li class="comment reply" id="c66">']
)  # fmt: skip
_AVATARS = (
    ["", '<div class="avatar-image-container"><img src="a.png" alt=""></div>',
     '<div class="avatar-image-container">\n  <img src="b.png">\n</div>',
     '<div class="avatar-image-container"><img class="loadmore"></div>',
     '<div class="avatar-image-container" id="c67"><img></div>',
     '<div class="avatar-image-container vcard"><span><a href="https://x.example/a"><img></a>'
     "</span></div>"]
)  # fmt: skip
_BLOCKS = (
    ['<div class="comment-block">', '<div class="comment-block">',
     '<div class="comment-block" id="c68">', '<div class="comment-block x">',
     '<div class="comment-block" data-timestamp="1244470020000">']
)  # fmt: skip
_SPACES = ["", "", " ", "\n    "]
_CITES = (
    ['<cite class="user"><a href="https://www.blogger.com/profile/1" rel="nofollow">Ann</a></cite>',
     '<cite class="user blog-author"><a rel="nofollow" href="http://ann.example/">Ann B</a></cite>',
     '<cite class="user">Anonymous</cite>', '<cite class="user"></cite>',
     '<cite class="user"><a href="#top">Top</a></cite>',
     '<cite class="user"><a href="https://x.example/p?showComment=1244470020000">p</a></cite>',
     '<cite class="user"><a href="mailto:a@b.example">a@b.example</a></cite>',
     '<cite class="user"><a href="https://x.example/"><b>B</b></a></cite>',
     '<cite class="user">By Ann, at 1:53 PM</cite>', '<cite class="user">Reader 1 said...</cite>',
     '<cite class="user">2019-07-26T07:47:00+02:00</cite>', '<cite class="user">1234</cite>',
     '<cite class="user">12</cite>', '<cite class="user"> </cite>',
     '<cite class="user"><a href="https://x.example/?a=1&amp;b=2">A &amp; B &lt;3</a></cite>',
     '<cite class="user"><a href="https://x.example/" class="loadmore">x</a></cite>',
     '<cite class="user"><a href="https://x.example/" title="t">T</a></cite>',
     '<cite class="user"><a href="https://x.example/">\n</a></cite>',
     '<cite class="user comment-author">C</cite>', '<cite class="user">A<!-- n --></cite>',
     '<cite class="user">&#13;2019-07-26T07:47:00+02:00</cite>',
     '<cite class="user"><a href="https://x.example/">\t2019-07-26T07:47:00+02:00</a></cite>',
     '<span class="comment-author">Ann</span>']
)  # fmt: skip
_ICONS = (
    ["", "", '<img src="data:image/png;base64,iVBO"><span class="icon user"></span>',
     '<img src="a.png" alt="">', '<img src="a.png" class="loadmore">',
     '<img src="a.png" data-timestamp="1244470020000">', '<span class="icon user"></span>',
     '<span class="icon user "></span>', '<span class="icon user blog-author"></span>',
     '<span class="icon user comment-author">x</span>',
     '<span class="icon user">x</span>']
)  # fmt: skip
_DATES = (
    ['<span class="datetime secondary-text"><a rel="nofollow" href="https://x.example/p.html?'
     'showComment=1244470020000#c6100000000000000001">June 8, 2009 at 2:07 PM</a></span>',
     '<span class="datetime secondary-text"><a href="https://x.example/p.html?showComment=0">'
     "June 8, 2009 at 2:07 PM</a></span>",
     '<span class="datetime secondary-text"><a href="https://x.example/p.html#c61">10:53 PM</a>'
     "</span>",
     '<span class="datetime secondary-text"><a href="https://x.example/p">2019-07-26T07:47:00+02:00'
     "</a></span>",
     '<span class="datetime secondary-text"><a href="https://x.example/p">\n '
     "2019-07-26T07:47:00+02:00 &amp;</a></span>",
     '<span class="datetime secondary-text"><a href="https://x.example/p"></a></span>',
     '<span class="datetime secondary-text"><a href="https://x.example/p">&#13;2019-07-26T07:47:00'
     "+02:00</a></span>",
     '<span class="datetime secondary-text"><a href="https://x.example/p" data-timestamp='
     '"1244470020000">t</a></span>',
     '<span class="datetime"><a href="https://x.example/p?showComment=1244470020000">d</a></span>',
     '<span class="datetime secondary-text"><time datetime="2009-06-08T14:07:00Z">t</time></span>',
     '<span class="datetime secondary-text"><a href="https://x.example/p?showComment='
     '99999999999999">far</a></span>']
)  # fmt: skip
_TEXTS = (
    ['<p class="comment-content">', '<p class="comment-content">',
     '<p class="comment-content" id="x">',
     '<div class="comment-content">', '<p class="comment-body">']
)  # fmt: skip
_TEXT_PIECES = (
    ["Nice post.", "<br>", "<br><br>", " ", "\n  ", "é &amp; ü &lt;b&gt;",
     "This comment has been removed by the author.", '<a href="https://x.example/">link</a>',
     "<b>b</b>", '<span class="deleted-comment">d</span>', "<!-- c -->", "\x7f", "tab\there",
     "\u00a0nbsp\u00a0", "&#13;", "two  spaces", "\u2028", '<br class="x">', "<wbr>",
     '<a href="https://x.example/" rel="nofollow">link</a>', '<a rel="nofollow" href="h">l</a>',
     '<a href="https://x.example/" rel="nofollow"><b>b</b></a>', '<a href="x" class="y">c</a>',
     '<a href="https://x.example/?showComment=1244470020000">p</a>', "\n<br>\n", " <br> ",
     "</div></div></div></div></div></div></div>"]
)  # fmt: skip
_ACTIONS = (
    ["", "", '<span class="comment-actions secondary-text"><a class="comment-reply" target="_self" '
     'data-comment-id="6100000000000000001">Reply</a><span class="item-control blog-admin pid-1">'
     '<a target="_self" href="https://www.blogger.com/delete-comment.g?blogID=1&amp;postID=2">'
     "Delete</a></span></span>",
     '<span class="comment-actions secondary-text"><a class="comment-reply" href="https://x.example'
     '/p?showComment=1244470020000">Reply</a></span>',
     '<span class="comment-actions secondary-text"><a class="comment-reply" data-timestamp='
     '"1244470020000">Reply</a></span>',
     '<span class="comment-actions secondary-text"><span class="item-control blog-admin">'
     '<a class="loadmore" href="x">m</a></span></span>',
     '<span class="comment-actions secondary-text"><span class="x">y</span></span>',
     '<span class="comment-actions secondary-text"><span class="item-control deleted-comment">'
     "d</span></span>"]
)  # fmt: skip
_TRAILERS = (
    ["", "", '<div class="comment-replybox-single" id="c6100000000000000001-ce"></div>',
     '<div class="comment-replybox-single" data-timestamp="1244470020000"></div>',
     '<div class="comment-footer">By Bob, at 1:53 PM</div>', "<!-- t -->",
     '<span class="deleted-comment"></span>']
)  # fmt: skip
_LOADMORES = (
    ["", "", '<div class="loadmore hidden"><a>Load more...</a></div>',
     '<div class="loadmore"><a>Load more...</a></div>',
     '<div class="loadmore" style="display: none"><a>Load more...</a></div>',
     '<div class="paging-control-container"><a href="x">2</a></div>',
     '<div class="paging-control-container"></div>', "<!-- <li class='comment'> -->",
     "<p>A reader typed class=\"loadmore\" here</p>", '<div class="loadmore&#10;hidden"></div>']
)  # fmt: skip

_Comment = tuple[str, str, str, str, str, str, str, str, list[str], str, str]


def _mostly(regular: list[str], every: list[str]) -> st.SearchStrategy[str]:
    """One of ``regular`` (Blogger's own pieces) three times in four, any piece the fourth."""
    return st.one_of(*[st.sampled_from(regular)] * 3, st.sampled_from(every))


_COMMENT = st.tuples(
    _mostly(_ITEMS[:3], _ITEMS),
    _mostly(_AVATARS[:3], _AVATARS),
    _mostly(_BLOCKS[:1], _BLOCKS),
    st.sampled_from(_SPACES),
    _mostly(_CITES[:3], _CITES),
    _mostly(_ICONS[:4], _ICONS),
    _mostly(_DATES[:4], _DATES),
    _mostly(_TEXTS[:1], _TEXTS),
    st.lists(_mostly(_TEXT_PIECES[:6], _TEXT_PIECES), max_size=5),
    _mostly(_ACTIONS[:3], _ACTIONS),
    _mostly(_TRAILERS[:3], _TRAILERS),
)


def _item(comment: _Comment, replies: str) -> str:
    opening, avatar, block, space, cite, icon, date, text, pieces, actions, trailer = comment
    closing = "</p>" if text.startswith("<p") else "</div>"
    return (
        f'{opening}{space}{avatar}{space}{block}<div class="comment-header">{space}{cite}{icon}'
        f"{date}{space}</div>{text}{''.join(pieces)}{closing}{actions}{space}</div>{replies}"
        f"{trailer}</li>"
    )


def _replies(parent: str, replies: list[_Comment], nested: bool) -> str:
    """Blogger's replies box inside the item, or the stress pages' list beside it."""
    if not replies:
        return ""
    inner = "".join(_item(reply, "") for reply in replies)
    if not nested:
        return f'<div class="comment-replies"><ol>{inner}</ol></div>'
    return (
        f'<div class="comment-replies"><div id="{parent}-rt" class="comment-thread inline-thread">'
        '<span class="thread-toggle thread-expanded"><span class="thread-count"><a target="_self">'
        f'Replies</a></span></span><ol id="{parent}-ra" class="thread-chrome thread-expanded">'
        f'<div>{inner}</div></ol><div id="{parent}-continue" class="continue"><a class='
        '"comment-reply" href="javascript:;" target="_self">Reply</a></div></div></div>'
    )


def _thread(threads: list[tuple[_Comment, list[_Comment], bool]], loadmore: str) -> str:
    items = []
    for comment, replies, nested in threads:
        parent = comment[0].split('id="')[-1].split('"')[0] if 'id="' in comment[0] else "x"
        box = _replies(parent, replies, nested)
        items.append(_item(comment, box) if nested else _item(comment, "") + box)
    return "".join(items) + loadmore


_ID = re.compile("6100000000000000001")


def _unique_ids(html: str) -> str:
    """Number the generated comments' id apart (repeats of an id are read once)."""
    counter = itertools.count(6100000000000000100)
    return _ID.sub(lambda _: str(next(counter)), html)


def _page(thread: str) -> HtmlElement:
    thread = _unique_ids(thread)
    page = (
        "<html><body><div class='post'><div class='post-body' id='body'>Post text.</div></div>"
        "<div class='comments' id='comments'><h4>Comments:</h4><div class='comments-content'>"
        f"<div id='comment-holder'><div class='comment-thread toplevel-thread'><ol id='top-ra'>"
        f"{thread}</ol></div></div></div></div></body></html>"
    )
    return load_document(page.encode()).root


_REGULAR = (
    '<li class="comment" id="c6100000000000000001">', _AVATARS[1], _BLOCKS[0], "\n  ", _CITES[0],
    _ICONS[2], _DATES[0], _TEXTS[0], ["One", "<br>", "two", "<br><br>", "three"], _ACTIONS[2],
    _TRAILERS[2],
)  # fmt: skip


# A cite whose decoded text begins with the ISO time the header then shows (its CR is an
# entity in the serialized text, which must not hide the digits).
_TIME_IN_CITE = (
    '<li class="comment" id="c6100000000000000001">', "", _BLOCKS[0], "",
    '<cite class="user">&#13;2019-07-26T07:47:00+02:00</cite>', "",
    '<span class="datetime secondary-text"><a href="https://x.example/p"> </a></span>', _TEXTS[0],
    ["Hi."], "", "",
)  # fmt: skip


# A stray </div> in a comment's text pushes the later items out of the container.
_UNBALANCED = (*_REGULAR[:8], ["One", "</div></div></div></div></div></div></div>", "two"],
               *_REGULAR[9:])  # fmt: skip


@example([(_REGULAR, [], False), (_UNBALANCED, [], False), (_REGULAR, [_REGULAR], True),
          (_REGULAR, [], False)], "", 10)  # fmt: skip
@example([(_TIME_IN_CITE, [], False)], "", None)
@example([(_REGULAR, [_REGULAR], True)], _LOADMORES[2], None)
@example([(_REGULAR, [_REGULAR], False)], "", 5)  # more shown than held: strays searched
@example([(_REGULAR, [], True)], _LOADMORES[9], None)  # an entity in a control's class
@settings(max_examples=1500, deadline=None)
@given(
    st.lists(
        st.tuples(_COMMENT, st.lists(_COMMENT, max_size=2), st.booleans()), min_size=1, max_size=3
    ),
    st.sampled_from(_LOADMORES),
    st.sampled_from([None, None, 1, 40]),
)
def test_a_threaded_thread_reads_as_the_generic_reader_reads_it(
    threads: list[tuple[_Comment, list[_Comment], bool]], loadmore: str, shown: int | None
) -> None:
    assert_fast_reads_as_generic(_page(_thread(threads, loadmore)), shown)


def test_blogger_markup_is_read_from_the_text() -> None:
    """Every comment of Blogger's own markup (as 023 and 003 print it) is read without a walk."""
    root = _page(_thread([(_REGULAR, [_REGULAR, _REGULAR], True), (_REGULAR, [], False)], ""))
    container = comment_thread.thread_container(root.get_element_by_id("body"))
    assert container is not None
    items, count = counted_thread_items(container)
    serialized = comment_serialized.serialized_thread(container, count)
    assert serialized is not None
    assert len(items) == 4  # noqa: PLR2004 - two items, two replies
    for position, item in items:
        assert comment_serialized.read_item(serialized.items[position], item, None) is not None
    assert serialized.hidden_more_only()


_TERMS = (
    ['<dt class="comment-author">', '<dt class="comment-author">',
     '<dt class="comment-author" id="c6100000000000000001">',
     '<dt class="comment-author blog-author">', '<dt class="comment-author" id="x1">',
     '<dt id="c6100000000000000002" class="comment-author">', "<dt>",
     '<dt class="comment-author ">', '<dt class="comment-author loadmore">',
     '<dt class="comment-poster">']
)  # fmt: skip
_TERM_PIECES = (
    ["Reader 1", " said...", "Reader 2 said...", " ", "\n", '<a name="c6100000000000000003"></a>',
     '<a href="https://www.blogger.com/profile/1" rel="nofollow">Ann</a>',
     '<a rel="nofollow" href="http://ann.example/">Ann B</a>', "A &amp; B", "ann@example.com",
     '<a name="x"></a>', '<a name="c7" id="c7"></a>', '<a href="#top">Top</a>', '<a href="">x</a>',
     '<a href="https://x.example/?showComment=1244470020000">p</a>',
     '<a href="https://x.example/#c12345">c</a>', '<a href="mailto:a@b.example">a@b.example</a>',
     '<a href="https://x.example/" title="t">T</a>', '<a href="https://x.example/"><b>B</b></a>',
     '<a href="https://x.example/"> </a>', "By Ann, at 1:53 PM", "<!-- n -->", "<cite>C</cite>",
     '<div class="avatar-image-container"><img src="a.png"></div>', "<span>s</span>",
     '<a name="c6100000000000000004">named</a>']
)  # fmt: skip
_DDS = (
    ["<dd>", '<dd class="comment-body">', '<dd class="comment-body">', '<dd id="Blog1_cmt-61">',
     '<dd class="comment-body" id="c6100000000000000009">', '<dd class="comment-text">',
     '<dd class="deleted-comment">']
)  # fmt: skip
_DD_PIECES = (
    ["<p>Nice post.</p>", "<p>One<br>two</p>", "Plain text", " ", "\n", "<br>", "<p></p>",
     "<p>A &amp; B</p>", "<p>  two  spaces </p>", "This comment has been removed by the author.",
     "<p>This comment has been removed by the author.</p>", '<p class="x">c</p>', "<b>b</b>",
     '<a href="https://x.example/">link</a>', '<span class="deleted-comment">d</span>',
     "<!-- c -->", "<cite>q</cite>", "\x7f", "&#13;", "\u00a0", "<div>d</div>", "<p><br></p>"]
)  # fmt: skip
_AFTER_DDS = (
    ["", "", "", "\n", '<dd class="comment-footer"><span class="comment-timestamp"><a href="https://'
     'x.example/p.html?showComment=1244470020000#c6100000000000000001" title="comment permalink">'
     "June 8, 2009 2:07 PM</a></span></dd>", "<dd>second</dd>", "<!-- between -->",
     "<div>between</div>", '<span class="loadmore">more</span>']
)  # fmt: skip
_LIST_ENDS = (
    ["", "", '<div class="loadmore hidden">m</div>', '<div class="loadmore">m</div>',
     '<div class="paging-control-container"><a href="x">2</a></div>', "<!-- <dt> -->",
     "<dl><dt>nested</dt><dd>list</dd></dl>", "<dt>orphan</dt>"]
)  # fmt: skip

_Term = tuple[str, list[str], str, list[str], str]

_TERM_COMMENT = st.tuples(
    _mostly(_TERMS[:4], _TERMS),
    st.lists(_mostly(_TERM_PIECES[:8], _TERM_PIECES), max_size=3),
    _mostly(_DDS[:3], _DDS),
    st.lists(_mostly(_DD_PIECES[:9], _DD_PIECES), max_size=3),
    st.sampled_from(_AFTER_DDS),
)


def _listed_page(terms: list[_Term], end: str, outside: str) -> HtmlElement:
    listed = _unique_ids(
        "".join(
            f"{opening}{''.join(term)}</dt>{dd}{''.join(text)}</dd>{after}"
            for opening, term, dd, text, after in terms
        )
    )
    page = (
        "<html><body><div class='post'><div class='post-body' id='body'>Post text.</div></div>"
        f"<div id='comments'><h4>Comments:</h4><dl id='comments-block'>{listed}</dl>{end}"
        f"{outside}</div></body></html>"
    )
    return load_document(page.encode()).root


@example(
    [("<dt class='comment-author'>", ["Reader 1 said..."], "<dd>", ["<p>Hi.</p>"], "")], "", ""
)
@settings(max_examples=1500, deadline=None)
@given(
    st.lists(_TERM_COMMENT, min_size=1, max_size=4),
    st.sampled_from(_LIST_ENDS),
    st.sampled_from(["", "", "<dt>outside a list</dt>", "<p>after</p>"]),
)
def test_a_classic_thread_reads_as_the_generic_reader_reads_it(
    terms: list[_Term], end: str, outside: str
) -> None:
    assert_fast_reads_as_generic(_listed_page(terms, end, outside))
