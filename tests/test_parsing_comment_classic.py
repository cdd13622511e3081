"""Layouts-era classic threads read from the serialized list give what the generic reader gives.

``comment_thread.read_thread`` (which reads a ``dl#comments-block`` term with a footer by
``comment_classic.read_footed``) is compared with itself with the serialized readers switched
off (every comment then walked by the generic reader), on generated threads of the markup
Blogger's Layouts templates print (``dt.comment-author`` with anchor, avatar box, name or
profile link and "said...", ``dd.comment-body``, ``dd.comment-footer`` with the permalink),
with irregular comments and pieces mixed in (ids that are no comment ids, names only in a
byline, permalinks without a time, inline markup, deletion marks, "more" controls, a
comment in an HTML comment), in HTML and XHTML documents (libxml2 serializes them apart).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml.html import HtmlElement

from crawler.parsing import comment_classic, comment_thread
from crawler.parsing.comment_markup import definition_terms
from crawler.parsing.document import load_document
from tests.support.comment_readers import assert_fast_reads_as_generic

THREADS = Path(__file__).parent / "fixtures" / "pages" / "threads"

_XHTML = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
    "<html xmlns='http://www.w3.org/1999/xhtml'>"
)
_DOCTYPES = [_XHTML, "<!DOCTYPE html>\n<html>"]

# {n}: the comment's number (ids are distinct: a repeated id is read once).
_OPENINGS = (
    ["<dt class='comment-author ' id='c61000000000000{n:04d}'>",
     "<dt class='comment-author blog-author' id='c61000000000000{n:04d}'>",
     "<dt class='comment-author' id='c61000000000000{n:04d}'>",
     "<dt class='comment-author blog-author '>", "<dt class='comment-author '>",
     "<dt class='comment-author' id='x{n}'>", "<dt class='comment-author ' title='t'>",
     "<dt class='comment-poster'>", "<dt class='comment-author loadmore'>",
     "<dt id='c61000000000000{n:04d}' class='comment-author '>"]
)  # fmt: skip
_ANCHORS = (
    ["<a name='c61000000000000{n:04d}'></a>", "", "<a name='x{n}'></a>",
     "<a name='c61000000000000{n:04d}' id='c61000000000000{n:04d}'></a>",
     "<a name='c61000000000000{n:04d}'>x</a>",
     "<a name='c61000000000000{n:04d}' id='c62000000000000{n:04d}'></a>"]
)  # fmt: skip
_AVATARS = (
    ['<div class="avatar-image-container avatar-stock"><span dir="ltr"><img src="//x.example/'
     'b.gif" width="35" height="35" alt="" title="Anonymous">\n\n</span></div>', "",
     '<div class="avatar-image-container vcard"><span dir="ltr"><a href="https://www.blogger.'
     'com/profile/{n}" target="" rel="nofollow" onclick="" class="avatar-hovercard" id="av-{n}">'
     '<img src="//x.example/a.gif" width="35" height="35" alt="" title="Ann">\n\n<noscript>'
     '<img src="//x.example/a.jpg" class="photo" alt=""></noscript></a></span></div>',
     '<div class="avatar-image-container"><span>Ann</span></div>',
     '<div class="avatar-image-container" id="av{n}"><img></div>',
     '<div class="avatar-image-container"><div><img></div></div>',
     '<div class="avatar-image-container"><a href="#c1"><img></a></div>',
     '<div class="avatar-image-container"><span class="loadmore">m</span></div>',
     '<div class="avatar-image-container"><span><dt>in</dt></span></div>']
)  # fmt: skip
_NAMES = (
    ["\nAnonymous\nsaid...\n", "<a href='https://www.blogger.com/profile/{n}' rel='nofollow'>"
     "Ann Example</a>\nsaid...\n", "\n<a rel='nofollow' href='https://www.blogger.com/profile/"
     "{n}'>Bo &amp; Co</a> said...", "Ann said...", "", " said...", "<a href='#top'>Top</a> Cy",
     "<a href=''></a> Dee said...", "<a href='mailto:a@b.example'>a@b.example</a> said...",
     "<a href='https://x.example/?showComment=1244470020000'>p</a>",
     "<a href='https://x.example/p#c1'>p</a>", "By Eve, at 1:53 PM",
     "<a href='https://x.example/'><b>B</b></a>", "<b>Fay</b> said...", "<cite>Gus</cite>",
     "<!-- n -->Hal said...", "Ida&nbsp;said...", "Jo\x7f said...", "<a href='https://x.example/'"
     " title='t'>Kai</a>", "Lu a@b.example said...",
     "<a href='https://www.blogger.com/profile/7' rel='nofollow'>Ann</a>\nsaid...\n",
     "<a href='https://www.blogger.com/profile/7' rel='nofollow'>Mo</a>\nsaid...\n"]
)  # fmt: skip
_BODIES = (
    ["<dd class='comment-body' id='Blog1_cmt-{n}'>", "<dd class='comment-body'>",
     "<dd class='comment-body' id='c61000000000000{n:04d}'>", "<dd>",
     "<dd class='comment-text'>", "<dd class='comment-body x'>", "<dd class='comment-body' "
     "title='t'>"]
)  # fmt: skip
_TEXTS = (
    ["\n<p>\nNice post.\n</p>\n", "<p>One<br>two<br /><br/>three</p>",
     "<p>A <a href='https://x.example/' rel='nofollow'>link</a> here.<br><br>And more.</p>",
     "\n<span class='deleted-comment'>This comment has been removed by the author.</span>\n",
     "<p>This comment has been removed by a blog administrator.</p>",
     "<p>é &amp; ü &lt;tag&gt; &#180;q&#180; &quot;x&quot;</p>", "<p></p>", "", "Plain<br>text",
     "<p>x</p><p>y</p>", "<p><b>bold</b> and <i>it</i></p>", "<p>c<!-- c -->d</p>",
     "<p class='x'>c</p>", "<p><cite>q</cite></p>", "<div class='comment-header'>h</div>",
     "<p>\x7f</p>", "<p>Ida&nbsp;x</p>", "<p><a href='https://x.example/?showComment=1244470020000"
     "#c61'>p</a></p>", "<span class='loadmore'>m</span>", "<p><a href='https://x.example/' "
     "class='c'>l</a></p>", "<p>" + "word " * 40 + "<br>" * 3 + "end</p>", "<p>  </p>\n<p>z</p>",
     "<p><a href='https://x.example/' rel='nofollow'><b>bold link</b></a> <em>e</em></p>",
     "<b><p>in bold</p></b>", "<p>a<b/>b<strong>  s </strong><br><i></i>c</p>", "<p><u>u</u></p>",
     "<p><b class='x'>b</b></p>", " <i>lead</i><br>text", "<p>x</p>\n<p>\n</p>"]
)  # fmt: skip
_PERMALINKS = (
    ["https://x.example/2009/06/p.html?showComment=1244470020{n:03d}#c61000000000000{n:04d}",
     "https://x.example/2009/06/p.html#c61000000000000{n:04d}",
     "https://x.example/2005/03/p.html#c1099342393048123", "https://x.example/p.html?a=1&amp;"
     "showComment=1244470020000", "https://x.example/p.html?showComment=99#c1", "#c6100{n}",
     "https://x.example/p.html?showComment=12444700200001234#c61000000000000{n:04d}",
     "https://x.example/p.html?showComment=1244470020{n:03d}x#c61000000000000{n:04d}",
     "https://x.example/p.html?showComment=1244470020{n:03d}&amp;m=1",
     "https://x.example/p.html?showComment=1244470020{n:03d}#c7{n}"]
)  # fmt: skip
_DATES = ["\nJune 8, 2009 at 2:07 PM\n", "10:53 PM", "2009-06-08T14:07:00+02:00", ""]
_ADMINS = (
    ["\n<span class='item-control blog-admin pid-46210132'>\n<a class='comment-delete' href='"
     "https://www.blogger.com/delete-comment.g?blogID=1&amp;postID={n}' title='Delete Comment'>"
     "\n<img src='//www.blogger.com/img/icon_delete13.gif'/>\n</a>\n</span>\n", "",
     "<span class='item-control blog-admin'><span>x</span></span>",
     "<span class='item-control blog-admin'><a class='loadmore' href='x'>m</a></span>",
     "<span class='item-control blog-admin'><dt>in</dt></span>"]
)  # fmt: skip
_FOOTER_EXTRAS = (
    ["", "<abbr title='2009-06-08T14:07:00+02:00'>x</abbr>", "By Bob, at 1:53 PM",
     "<span class='comment-body'>b</span>", "<cite>Bob</cite>", "<span data-timestamp='1'>t</span>"]
)  # fmt: skip


def _mostly(regular: list[str], every: list[str]) -> st.SearchStrategy[str]:
    """One of ``regular`` seven times in eight, any of ``every`` the eighth.

    A comment has eleven pieces: about a third of the comments are then wholly regular.
    """
    usual, any_piece = st.sampled_from(regular), st.sampled_from(every)
    return st.sampled_from([True] * 7 + [False]).flatmap(lambda r: usual if r else any_piece)


_COMMENT = st.tuples(
    _mostly(_OPENINGS[:5], _OPENINGS),
    _mostly(_ANCHORS[:2], _ANCHORS),
    _mostly(_AVATARS[:3], _AVATARS),
    _mostly(_NAMES[:4], _NAMES),
    _mostly(_BODIES[:2], _BODIES),
    st.lists(_mostly(_TEXTS[:6], _TEXTS), min_size=1, max_size=3),
    _mostly(_PERMALINKS[:1], _PERMALINKS),
    _mostly(_DATES[:1], _DATES),
    _mostly(_ADMINS[:2], _ADMINS),
    _mostly([""], _FOOTER_EXTRAS),
    _mostly(["footer"], ["footer", "footer", "none", "none", "hidden"]),
)
_Comment = tuple[str, str, str, str, str, list[str], str, str, str, str, str]


def _term(number: int, comment: _Comment) -> str:
    opening, anchor, avatar, name, body, texts, permalink, date, admin, extra, footer = comment
    n = 6_100 + number
    item = (
        f"{opening}\n{anchor}\n{avatar}\n{name}</dt>\n{body}{''.join(texts)}</dd>\n".replace(
            "{n}", str(n)
        )
        .replace("{n:04d}", f"{number:04d}")
        .replace("{n:03d}", f"{number % 1000:03d}")
    )
    if footer == "none":
        return item
    link = permalink.replace("{n}", str(n)).replace("{n:04d}", f"{number:04d}")
    link = link.replace("{n:03d}", f"{number % 1000:03d}")
    hidden = "<!-- <dt class='comment-author'>x</dt> -->" if footer == "hidden" else ""
    return (
        f"{item}<dd class='comment-footer'>\n<span class='comment-timestamp'>\n<a href='{link}' "
        f"title='comment permalink'>{date}</a>{admin.replace('{n}', str(n))}{extra}</span>\n"
        f"</dd>{hidden}\n"
    )


def _page(doctype: str, comments: list[_Comment]) -> HtmlElement:
    thread = "".join(_term(number, comment) for number, comment in enumerate(comments))
    page = (
        f"{doctype}<head><title>t</title></head><body><div class='post'>"
        "<div class='post-body' id='body'>Post text.</div></div>"
        "<div class='comments' id='comments'><h4>Comments:</h4><div id='Blog1_comments-block-"
        f"wrapper'><dl class='avatar-comment-indent' id='comments-block'>\n{thread}</dl></div>"
        "</div></body></html>"
    )
    return load_document(page.encode()).root


_REGULAR: _Comment = (
    _OPENINGS[0], _ANCHORS[0], _AVATARS[0], _NAMES[0], _BODIES[0], [_TEXTS[1]], _PERMALINKS[0],
    _DATES[0], _ADMINS[0], "", "footer",
)  # fmt: skip


def _with(**changes: object) -> _Comment:
    keys = ("opening", "anchor", "avatar", "name", "body", "texts", "permalink", "date", "admin")
    keys += ("extra", "footer")
    pieces = dict(zip(keys, _REGULAR, strict=True))
    pieces.update(changes)
    return tuple(pieces.values())  # type: ignore[return-value]


@example(_XHTML, [_REGULAR, _with(texts=[_TEXTS[3]]), _with(anchor=_ANCHORS[3], name=_NAMES[1])])
@example("<!DOCTYPE html>\n<html>", [_REGULAR, _with(texts=[_TEXTS[4]], avatar=_AVATARS[2])])
@example(_XHTML, [_with(opening=_OPENINGS[4], anchor="", permalink=_PERMALINKS[1])])
@example(_XHTML, [_with(opening=_OPENINGS[4], anchor=_ANCHORS[0], permalink=_PERMALINKS[1])])
@example(_XHTML, [_with(name=_NAMES[7]), _with(name=_NAMES[2], texts=[_TEXTS[5], _TEXTS[2]])])
@example(_XHTML, [_with(name="", avatar="", date="By Bob, at 1:53 PM")])  # a byline as the date
# A time in the name's link too (read first), and permalinks whose time the generic reader
# reads otherwise: more digits than a time has, a letter after them.
@example(_XHTML, [_REGULAR, _with(name=_NAMES[9])])
# The anchor's id and the permalink's differ (the anchor's is the comment's).
@example(_XHTML, [_with(opening=_OPENINGS[4], permalink=_PERMALINKS[-1]) for _ in range(2)])
@example(_XHTML, [_with(opening=_OPENINGS[4], anchor=_ANCHORS[2], permalink=_PERMALINKS[-1])])
# One profile under two names, and again (the thread's links are read once each).
@example("<!DOCTYPE html>\n<html>", [_with(name=_NAMES[n]) for n in (20, 21, 20, 1, 21)])
@example(_XHTML, [_REGULAR, _with(permalink=_PERMALINKS[6]), _with(permalink=_PERMALINKS[7])])
# An anchor's own id, another than its name, among bare anchors (XHTML style writes an id on
# every anchor: read_footed looks at the element).
@example(_XHTML, [_REGULAR, _with(opening=_OPENINGS[3], anchor=_ANCHORS[5]), _REGULAR])
@settings(max_examples=600, deadline=None)
@given(st.sampled_from(_DOCTYPES), st.lists(_COMMENT, min_size=1, max_size=5))
def test_a_layouts_thread_reads_as_the_generic_reader_reads_it(
    doctype: str, comments: list[_Comment]
) -> None:
    assert_fast_reads_as_generic(_page(doctype, comments))


def _footed_reads(root: HtmlElement) -> int:
    """How many of the thread's terms ``comment_classic.read_footed`` reads."""
    container = comment_thread.thread_container(root.get_element_by_id("body"))
    assert container is not None
    terms = definition_terms(container)
    listed = comment_classic.serialized_list(container, terms)
    assert listed is not None
    serialized, read = listed
    assert read is comment_classic.read_footed
    links: comment_classic.AuthorLinks = {}
    return sum(
        read(match, term, links) is not None
        for match, term in zip(serialized.items, terms, strict=True)
    )


# Texts whose whitespace the cut must collapse (double spaces, tabs, no-break and ideographic
# spaces, line separators, lines of blanks) or that it must refuse (the cut's DEL marker).
_UNTIDY_TEXTS = (
    ["<p>a  b\t<br>c</p>", "<p>x&nbsp; y<br> <br>\u00a0</p>", "<p> <br><br> </p>", "<p>\x7f</p>",
     "<p>\u3000z \u2028 w</p>", "<br/><p/><p>t</p>"]
)  # fmt: skip


@example(_XHTML, [[_UNTIDY_TEXTS[0]], [_UNTIDY_TEXTS[3], _UNTIDY_TEXTS[1]]])
@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(_DOCTYPES),
    st.lists(st.lists(st.sampled_from(_UNTIDY_TEXTS + _TEXTS[:6]), min_size=1, max_size=3)),
)
def test_untidy_texts_read_as_the_generic_reader_reads_them(
    doctype: str, texts: list[list[str]]
) -> None:
    assert_fast_reads_as_generic(_page(doctype, [_REGULAR, *(_with(texts=t) for t in texts)]))


@pytest.mark.parametrize("doctype", _DOCTYPES)
def test_the_layouts_markup_is_read_from_the_text(doctype: str) -> None:
    regular = [
        _REGULAR,
        _with(opening=_OPENINGS[1], name=_NAMES[1], avatar=_AVATARS[2], texts=[_TEXTS[2]]),
        _with(opening=_OPENINGS[3], anchor="", avatar="", texts=[_TEXTS[3]]),
        _with(texts=[_TEXTS[4]], admin="", date=_DATES[1]),
        _with(name=_NAMES[2], texts=[_TEXTS[5]], body=_BODIES[1]),
    ]
    root = _page(doctype, regular)
    assert _footed_reads(root) == len(regular)
    assert_fast_reads_as_generic(root)
    comments = comment_thread.read_thread(root.get_element_by_id("body")).comments
    assert [c.deleted for c in comments] == [False, False, True, True, False]
    assert comments[1].author == "Ann Example"
    assert comments[1].author_url == "https://www.blogger.com/profile/6101"
    assert comments[4].author == "Bo & Co"
    assert comments[0].paragraphs == ["One\ntwo", "three"]


@pytest.mark.parametrize(
    ("name", "count"), [("layouts_footed.html", 6), ("layouts_footed_xhtml.html", 5)]
)
def test_the_layouts_fixtures_are_read_from_the_text_as_the_generic_reader_reads_them(
    name: str, count: int
) -> None:
    root = load_document((THREADS / name).read_bytes()).root
    body = root.find_class("post-body")[0]
    body.set("id", "body")
    assert _footed_reads(root) == count
    assert_fast_reads_as_generic(root)
    comments = comment_thread.read_thread(body).comments
    assert len(comments) == count
    assert any(comment.deleted for comment in comments)
    assert all(comment.published is not None for comment in comments)


# An HTML comment holding the start of a footed term, up to an admin box: the expression may
# match from its <dt (libxml2 writes a comment's text as it is) into the real markup after it.
_TERM_IN_A_COMMENT = (
    '<span class=\'item-control blog-admin\'><!--<dt class="comment-author">x</dt><dd class="'
    'comment-body">y</dd><dd class="comment-footer"><span class="comment-timestamp"><a href'
    '="https://x.example/p.html?showComment=1244470020000#c6199" title="comment permalink">d'
    '</a><span class="item-control a">--><dt>Bob said...</dt></span>'
)


@pytest.mark.parametrize("doctype", _DOCTYPES)
@pytest.mark.parametrize(
    "thread",
    [
        # A dt element in an admin box after a comment's start of a term: a match that took
        # the element's <dt in would leave as many matches as terms, each read as the next.
        [_REGULAR, _with(admin=_TERM_IN_A_COMMENT)],
        [_REGULAR, _with(admin=_TERM_IN_A_COMMENT), _REGULAR],
        # dt elements in the boxes the expression passes over.
        [_REGULAR, _with(admin=_ADMINS[-1]), _with(avatar=_AVATARS[-1])],
    ],
)
def test_a_dt_inside_a_comment_is_never_taken_for_the_next_term(
    doctype: str, thread: list[_Comment]
) -> None:
    assert_fast_reads_as_generic(_page(doctype, thread))


@pytest.mark.parametrize("doctype", _DOCTYPES)
def test_a_dt_outside_the_lists_sends_the_thread_to_the_generic_reader(doctype: str) -> None:
    root = _page(doctype, [_REGULAR, _REGULAR])
    root.get_element_by_id("comments").insert(1, load_document(b"<dt>Cy said...</dt>").root[0][0])
    container = comment_thread.thread_container(root.get_element_by_id("body"))
    assert container is not None
    assert comment_thread.read_listed(container, definition_terms(container)) is None
    assert_fast_reads_as_generic(root)
