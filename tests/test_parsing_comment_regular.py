"""A regular classic thread read without the walk gives what the generic reader gives.

``comment_regular.read_definition_list`` is compared with ``comment_thread.read_each`` (each
comment's parts walked, its fields read from the walk) on generated ``dl#comments-block``
threads: terms, text and footer ``dd`` elements with the attributes, children and text of
Blogger's classic and Layouts templates, and with the irregular ones that must send the
thread to the generic reader (other classes, ids, nested links, ``<cite>``, bylines, deletion
marks, "more" controls, a fourth part). Every field of every comment must be equal whenever
the fast reader answers; the partial flag of the whole thread is the plain XPath's.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml.html import HtmlElement

from crawler.parsing import comment_regular, comment_thread
from crawler.parsing.comment_markup import definition_list, find_comments
from crawler.parsing.document import load_document
from crawler.parsing.xpath import Elements

_TERM_OPENINGS_LIST = (
    ["<dt class='comment-author'>", "<dt class='comment-author '>",
     "<dt class='comment-author' id='c6100000000000000001'>",
     "<dt class='comment-author blog-author' id='c1099342393048123'>",
     "<dt class='comment-author' id='x1'>", "<dt class='comment-poster'>", "<dt>",
     "<dt class='comment-header'>", "<dt class='comment-author' title='t'>",
     "<dt class='comment-author loadmore'>"]
)  # fmt: skip
_TERM_OPENINGS = st.sampled_from(_TERM_OPENINGS_LIST)
_TERM_PIECES_LIST = (
    ["Reader 1", " said...", " ", "\n", "By Ann, at 1:53 PM", "ann@example.com",
     "<a name='c6100000000000000002'></a>", "<a name='x'></a>", "<a name='c7' id='c7'></a>",
     "<a href='https://www.blogger.com/profile/1' rel='nofollow'>Ann</a>",
     "<a href='http://ann.example/'>Ann B</a>", "<a href='#top'>Top</a>", "<a href=''></a>",
     "<a href='https://x.example/?showComment=1244470020000'>p</a>",
     "<a href='https://x.example/#c12345'>c</a>", "<a href='mailto:a@b.example'>a@b.example</a>",
     "<a href='https://x.example/' title='t'>T</a>", "<a href='https://x.example/'><b>B</b></a>",
     "<div class='avatar-image-container vcard'><span><a href='https://x.example/a'>"
     "<img src='a.png'></a></span></div>",
     "<div class='avatar-image-container' id='av'><img></div>",
     "<div class='avatar-image-container'><span class='loadmore'>m</span></div>",
     "<span class='item-control'>x</span>", "<span>s</span>", "<cite>Cited</cite>",
     "<!-- note -->", "<span class='comment-timestamp'>2019-07-26T07:47+00:00</span>"]
)  # fmt: skip
_TERM_PIECES = st.sampled_from(_TERM_PIECES_LIST)
_TEXT_OPENINGS_LIST = (
    ["<dd>", "<dd class='comment-body'>", "<dd class='comment-body' id='Blog1_cmt-61'>",
     "<dd id='Blog1_cmt-61'>", "<dd class='comment-body' id='c6100000000000000009'>",
     "<dd class='comment-body x'>", "<dd class='comment-text'>", "<dd class='comment-footer'>",
     "<dd class='deleted-comment'>", "<dd class='comment-body' title='t'>"]
)  # fmt: skip
_TEXT_OPENINGS = st.sampled_from(_TEXT_OPENINGS_LIST)
_TEXT_PIECES_LIST = (
    ["<p>Nice post.</p>", "<p>One<br>two</p>", "Plain text", " ", "\n", "<br>", "<br>",
     "<p></p>", "<p class='x'>c</p>", "<a href='https://x.example/'>link</a>",
     "<a href='https://x.example/?showComment=1244470020000#c61'>p</a>",
     "<span class='deleted-comment'>This comment has been removed by the author.</span>",
     "This comment has been removed by the author.", "<cite>q</cite>",
     "<div class='comment-header'>h</div>", "<span class='loadmore'>m</span>",
     "<abbr title='2009-06-08T14:07:00Z'>x</abbr>", "<i>it</i>", "<!-- c -->", "é &amp; ü",
     "<span data-timestamp='1244470020000'>t</span>"]
)  # fmt: skip
_TEXT_PIECES = st.sampled_from(_TEXT_PIECES_LIST)
_FOOTER_OPENINGS_LIST = (
    ["", "<dd class='comment-footer'>", "<dd class='comment-timestamp'>", "<dd>",
     "<dd class='comment-body'>"]
)  # fmt: skip
_FOOTER_OPENINGS = st.sampled_from(_FOOTER_OPENINGS_LIST)
_FOOTER_PIECES_LIST = (
    ["<span class='comment-timestamp'><a href='https://x.example/p.html?showComment="
     "1244470020000#c6100000000000000001' title='comment permalink'>June 8, 2009 2:07 PM</a>"
     "</span>", "<a href='#c1099342393048123' title='comment permalink'>10:53 PM</a>",
     "<span class='item-control blog-admin'><a class='comment-delete' href='https://x.example/"
     "d'><img src='d.png'></a></span>", "<abbr title='2009-06-08T14:07:00+02:00'>x</abbr>",
     "<time datetime='2009-06-08T14:07:00Z'>t</time>", " 10:53 PM ", "By Bob, at 1:53 PM",
     "<span class='comment-body'>b</span>", "<span class='deleted-comment'>d</span>",
     "<span class='loadmore'>more</span>", "<cite>Bob</cite>", "2009-06-08T14:07:00+02:00"]
)  # fmt: skip
_FOOTER_PIECES = st.sampled_from(_FOOTER_PIECES_LIST)


def _regular_term(boxes: list[str]) -> st.SearchStrategy[list[str]]:
    """A term of the regular shape: an anchor, a link or a box, and the name's text."""
    return st.tuples(
        st.sampled_from(["", "<a name='c6100000000000000002'></a>"]),
        st.sampled_from(["", *boxes]),
        st.sampled_from(["", "Reader 1", " said...", "\n"]),
        st.sampled_from(["", _TERM_PIECES_LIST[9], _TERM_PIECES_LIST[10]]),
    ).map(lambda pieces: ["".join(pieces[:3]) if pieces[1] else "".join(pieces)])


_LINKS = [_TERM_PIECES_LIST[9], _TERM_PIECES_LIST[10]]
_REGULAR = st.one_of(
    st.tuples(
        st.sampled_from(_TERM_OPENINGS_LIST[:4]),
        _regular_term([*_LINKS, _TERM_PIECES_LIST[18]]),
        st.sampled_from(_TEXT_OPENINGS_LIST[1:3]),
        st.lists(st.sampled_from(_TEXT_PIECES_LIST[:7]), max_size=3),
        st.sampled_from(["", "<dd class='comment-footer'>"]),
        st.lists(st.sampled_from(_FOOTER_PIECES_LIST[:3]), max_size=2),
        st.just(False),
    ),
    st.tuples(  # an unmarked text element with text, and no footer (the stress pages')
        st.sampled_from(_TERM_OPENINGS_LIST[:4]),
        _regular_term(_LINKS),
        st.just("<dd>"),
        st.lists(st.sampled_from(_TEXT_PIECES_LIST[:3]), min_size=1, max_size=3),
        st.just(""),
        st.just([]),
        st.just(False),
    ),
)


def _mostly(
    regular: st.SearchStrategy[str], other: st.SearchStrategy[str]
) -> st.SearchStrategy[str]:
    """``regular`` three times in four, ``other`` (any piece) the fourth."""
    return st.one_of(regular, regular, regular, other)


# A comment of the regular shape with, most of the time, one or two pieces of any kind: the
# irregular piece that must send the thread to the generic reader, or one that must not.
_COMMENT = st.tuples(
    _mostly(st.sampled_from(_TERM_OPENINGS_LIST[:4]), _TERM_OPENINGS),
    st.tuples(
        _regular_term([*_LINKS, _TERM_PIECES_LIST[18]]), st.lists(_TERM_PIECES, max_size=1)
    ).map(lambda pieces: pieces[0] + pieces[1]),
    _mostly(st.sampled_from(_TEXT_OPENINGS_LIST[:3]), _TEXT_OPENINGS),
    st.lists(_mostly(st.sampled_from(_TEXT_PIECES_LIST[:3]), _TEXT_PIECES), max_size=4),
    _mostly(st.sampled_from(_FOOTER_OPENINGS_LIST[:2]), _FOOTER_OPENINGS),
    st.lists(_mostly(st.sampled_from(_FOOTER_PIECES_LIST[:2]), _FOOTER_PIECES), max_size=3),
    st.sampled_from([False, False, False, True]),
)


_PLAIN_MORE = Elements(
    ".//*[contains(@class, 'loadmore') or contains(@class, 'paging-control-container')]"
)


def _thread(comments: list[tuple[str, list[str], str, list[str], str, list[str], bool]]) -> str:
    items = []
    for term, term_inner, text, text_inner, footer, footer_inner, extra in comments:
        item = f"{term}{''.join(term_inner)}</dt>{text}{''.join(text_inner)}</dd>"
        if footer:
            item += f"{footer}{''.join(footer_inner)}</dd>"
        if extra:
            item += "<dd class='comment-footer'>extra</dd>"
        items.append(item)
    return "".join(items)


def _container(thread: str) -> HtmlElement:
    page = (
        "<html><body><div class='post'><div class='post-body' id='body'>Post text.</div></div>"
        f"<div id='comments'><h4>Comments:</h4><dl id='comments-block'>{thread}</dl></div>"
        "</body></html>"
    )
    return load_document(page.encode()).root


def _assert_same(root: HtmlElement) -> bool:
    """Compare both readers on the page's thread; return whether the fast one answered."""
    body = root.get_element_by_id("body")
    container = comment_thread.thread_container(body)
    assert container is not None
    found = find_comments(container)
    if found.finder is not definition_list:
        return False
    fast = comment_regular.read_definition_list(container, found.places)
    generic, _ = comment_thread.read_each(found.places, found.own)
    if fast is not None:
        assert fast == generic
    assert comment_thread.read_thread(body).partial == any(
        map(comment_thread.is_live_more, _PLAIN_MORE(container))
    )
    return fast is not None


@example([("<dt class='comment-author'>", ["Reader 1 said..."], "<dd>", ["<p>Hi.</p>"], "", [],
           False)])  # fmt: skip
@example([("<dt class='comment-author'>", [_TERM_PIECES_LIST[13]], "<dd>", ["Hi."], "", [],
           False)])  # a permalink as the name's link gives the time  # fmt: skip
@example([("<dt class='comment-author'>", ["A"], "<dd class='comment-body'>", ["<cite>q</cite>t"],
           "", [], False)])  # a header inside the text: the walk enters it  # fmt: skip
@example([("<dt class='comment-author'>", ["A"], "<dd>", [_TEXT_PIECES_LIST[10]], "", [],
           False)])  # an unmarked text is walked: its permalink gives the id and time  # fmt: skip
@example([("<dt class='comment-author'>", ["A"], "<dd class='comment-body'>",
           ["t", _TEXT_PIECES_LIST[11]], "", [], False)])  # a deletion mark  # fmt: skip
@settings(max_examples=1000)
@given(st.lists(st.one_of(_COMMENT, _REGULAR), min_size=1, max_size=4))
def test_a_classic_thread_reads_as_the_generic_reader_reads_it(
    comments: list[tuple[str, list[str], str, list[str], str, list[str], bool]],
) -> None:
    _assert_same(_container(_thread(comments)))


@settings(max_examples=150)
@given(st.lists(_REGULAR, min_size=1, max_size=4))
def test_regular_threads_take_the_fast_reader(
    comments: list[tuple[str, list[str], str, list[str], str, list[str], bool]],
) -> None:
    """The shapes the fast reader is for are read by it (and equal the generic reading)."""
    assert _assert_same(_container(_thread(comments)))


def test_layouts_comments_widget_thread_is_read_fast() -> None:
    """Blogger's Layouts comments widget, as pages show it (avatar, anchor, footer)."""
    item = (
        "<dt class='comment-author blog-author' id='c6100000000000000003'>"
        "<a name='c6100000000000000003'></a><div class='avatar-image-container vcard'><span "
        "dir='ltr'><a href='https://www.blogger.com/profile/1' rel='nofollow'><img src='a.png'"
        " width='35' height='35'></a></span></div><a href='https://www.blogger.com/profile/1' "
        "rel='nofollow'>Ann</a> said...</dt><dd class='comment-body' id='Blog1_cmt-61'><p>Once"
        " a week.<br><br>Comfrey tea works well.</p></dd><dd class='comment-footer'><span "
        "class='comment-timestamp'><a href='http://x.blogspot.com/2009/06/p.html?showComment="
        "1244491200000#c6100000000000000003' title='comment permalink'>June 8, 2009 10:00 PM</a>"
        "</span><span class='item-control blog-admin pid-1'><a href='https://x.example/d'>"
        "<img src='d.png'></a></span></dd>"
    )
    root = _container(item * 3)
    assert _assert_same(root)
    thread = comment_thread.read_thread(root.get_element_by_id("body"))
    assert [comment.author for comment in thread.comments] == ["Ann"]  # one id, read once
    assert thread.comments[0].paragraphs == ["Once a week.", "Comfrey tea works well."]
    assert thread.comments[0].published is not None
