"""The comment thread's fast paths give what their plain definitions give.

* ``comment_fields.shown_text_of`` (an element's ``text`` when it has no children) equals
  ``text_content()`` (XPath's ``string()``), and ``comment_fields._links`` (no iterator for
  a childless element) the ``<a href>`` elements of the subtree, on generated markup: text,
  entities, comments, processing instructions, nested elements, links and tails;
* ``comment_markup.thread_items`` selects what its XPath definition selects (in
  test_parsing_xpath_forms.py);
* ``comment_markup.threaded`` (one walk up the tree per parent element) gives what reading
  each item on its own gives, on generated nested threads: reply lists named after their
  comment, wrappers, replies' boxes and items without a thread item above them;
* ``comment_fields.is_removal_notice`` (no squash nor expression for a text whose first
  visible character cannot begin a notice) answers as the expression on the squashed text;
* ``comment_fields.name_from_text`` (no byline expression for a name whose first character
  cannot begin a byline) gives what the expression on every name gives;
* ``comment_fields._paragraphs_less_bylines`` (a copy without the bylines only of the parts
  that hold one) gives the plain definition's paragraphs, on generated comment markup;
* ``comment_fields.CommentParts`` (one C-iterated walk with class roles remembered per value,
  subtrees passed over by count) files what a plain recursive walk files;
* ``comment_fields.content_paragraphs`` (leaf blocks read directly) gives the body writer's
  paragraphs;
* ``comment_fields.from_epoch_ms`` (a ``timedelta`` sum inside the plausible range) gives
  the instant ``datetime.fromtimestamp`` gives for the milliseconds over a thousand;
* ``body_stylesheet.marked_paragraphs`` (ASCII text searched for its whitespace characters,
  not looked up in the Unicode tables) collapses every line as ``str.split`` cuts it, at every
  code point of Latin-1;
* ``comment_thread.read_thread`` calls a thread partial (its "Load more" and comment-page
  controls found by the comments' walks and a walk of the rest of the container) exactly
  when one XPath scan of the container finds a live control.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml.html import HtmlElement

from crawler.parsing import comment_fields, comment_markup, comment_thread
from crawler.parsing.body import body_paragraphs, collapse_whitespace
from crawler.parsing.body_stylesheet import marked_paragraphs
from crawler.parsing.comment_fields import (
    _BYLINE_AUTHOR,
    _BYLINE_INITIALS,
    _FIRST_COMMENT,
    _LATEST_PLAUSIBLE,
    _NOTICE_INITIALS,
    _REMOVED_NOTICE,
    CommentParts,
    _links,
    _paragraphs_less_bylines,
    _without,
    is_removal_notice,
    shown_text_of,
)
from crawler.parsing.comment_markup import thread_items, thread_place, threaded
from crawler.parsing.document import load_document
from crawler.parsing.xpath import Elements

_PIECES = st.sampled_from(
    ["Reader 1", " ", "\n\t", "&amp;", "&#160;", "é", "<!-- c -->", "<?pi x?>", "<b>", "</b>",
     "<a href='#c1'>", "</a>", "<a name='c2'></a>", "<a href=''>x</a>", "<br>", "<span></span>",
     "said...", "2019-07-26T07:47+00:00", "20", "1", "2019", "\u00a0"]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=12).map("".join))
def test_shown_text_and_links_are_their_plain_definitions(inner: str) -> None:
    page = f"<html><body><div id='x'><cite>{inner}</cite>{inner}</div></body></html>"
    root = load_document(page.encode()).root
    for element in root.iter():
        if isinstance(element.tag, str):
            assert shown_text_of(element) == element.text_content()
            plain = [a for a in element.iter("a") if a.get("href") is not None]
            assert _links(element) == plain


_THREAD_PIECES = st.sampled_from(
    ["<li class='comment' id='c1'>", "<li class='comment'>", "</li>", "<ol>", "<ol id='c7-ra'>",
     "</ol>", "<div class='comment-replies'>", "<div class='thread-chrome'>", "<div id='c9-rt'>",
     "</div>", "<div class='comment-block'>x</div>", "<p>text</p>", "<li>plain</li>"]
)  # fmt: skip


@given(st.lists(_THREAD_PIECES, max_size=30).map("".join))
def test_threaded_is_each_item_read_on_its_own(inner: str) -> None:
    page = f"<html><body><div id='comments'><ol>{inner}</ol></div></body></html>"
    container = load_document(page.encode()).root.get_element_by_id("comments")
    plain = [thread_place(item, container) for item in thread_items(container)]
    assert threaded(container) == plain


_NOTICE_TAILS = (
    "his comment has been removed by the author.",
    "ste comentário foi removido pelo autor",
)


def test_every_character_a_notice_can_begin_with_is_an_initial() -> None:
    for code in range(sys.maxunicode + 1):
        initial = chr(code)
        if any(_REMOVED_NOTICE.match(initial + tail) for tail in _NOTICE_TAILS):
            assert initial in _NOTICE_INITIALS, hex(code)


_NOTICE_PIECES = st.sampled_from(
    ["This", "this", "THIS", "Este", "este", " ", "\n", "\t", "\u00a0", "\u2003", "comment",
     "post", "has been removed by", "the author", "a blog administrator", ".", "comentário",
     "foi removido pelo autor", "x", "é", "\u0130", "\u212a", ""]
)  # fmt: skip


@given(st.lists(st.lists(_NOTICE_PIECES, max_size=10).map(" ".join), max_size=2))
def test_removal_notice_is_its_plain_definition(paragraphs: list[str]) -> None:
    plain = (
        len(paragraphs) == 1
        and _REMOVED_NOTICE.match(collapse_whitespace(paragraphs[0])) is not None
    )
    assert is_removal_notice(paragraphs) == plain


_BYLINE_TAILS = (
    "osted by Ann",
    "y Ann",
    "on Ann",
    "ar Ann",
    "or Ann",
    "i Ann",
    "oor Ann",
    " by Ann",
)


def test_every_character_a_byline_can_begin_with_is_an_initial() -> None:
    for code in range(sys.maxunicode + 1):
        initial = chr(code)
        if initial.isspace():
            continue  # a squashed text never begins with whitespace
        if any(_BYLINE_AUTHOR.match(initial + tail) for tail in _BYLINE_TAILS):
            assert initial in _BYLINE_INITIALS, hex(code)


def _plain_name_from_text(text: str) -> str | None:
    text = collapse_whitespace(text)
    byline = _BYLINE_AUTHOR.match(text)
    if byline:
        text = byline.group("name")
    if text.rstrip().endswith(("...", "…", ":")):
        text = comment_fields._SAID.sub("", text)
    return comment_fields.without_email(text)


_NAME_PIECES = st.sampled_from(
    ["By", "by", "posted by", "Posted By", "von", "par", "por", "di", "door", "#", " ", "\n",
     "\u00a0", "Ann", "Ben", "Ðe", "ann@example.org", ",", "at", "um", ":", "@", "said...",
     "2:12 PM", "Pé", "Vi", "Dá", "", "hat gesagt:", "napisał(a)...", "説:", "說…", "a dit…",
     "Annabelle Marie-Claire Worthington-Smythe of the Northern Valley", "Said...", "SAGDE:",
     "said...", " said...", "\u00a0said...", "a said...", "hat said...", "gesagt said..."]
)  # fmt: skip


@given(st.lists(_NAME_PIECES, max_size=8).map(" ".join))
def test_name_from_text_is_its_plain_definition(text: str) -> None:
    assert comment_fields.name_from_text(text) == _plain_name_from_text(text)


def _plain_paragraphs_less_bylines(scan: CommentParts) -> list[str]:
    dropped = {*scan.author_boxes, *scan.bylines, *scan.timed}
    paragraphs = [
        paragraph
        for part in scan.parts
        if part not in dropped
        for paragraph in body_paragraphs(_without(part, dropped))
    ]
    if paragraphs or not dropped:
        return paragraphs
    return _paragraphs_less_bylines(scan)  # the fallback is not a fast path


_PART_PIECES = st.sampled_from(
    ["Ann", " said...", "<cite>Ann</cite>", "<p>Nice post.</p>", "<br>", "<b>bold</b>",
     "<span class='comment-timestamp'>9:37 AM</span>", "<a href='#c123'>link</a>",
     "<time datetime='2020-01-02T03:04:05Z'>then</time>", "<div class='byline'>By Ann</div>",
     "<div class='comment-body'>text<br>more</div>", "<div class='item-control'>x</div>",
     "<span class='comment-author'><a href='https://x.example/'>Ann</a></span>",
     "<abbr title='2020-01-02'>Jan</abbr>", "<div>", "</div>", "<!-- note -->", "tail "]
)  # fmt: skip
_PART_TAGS = st.sampled_from(
    ["dt class='comment-author'", "dd class='comment-body'", "dd", "dd class='comment-footer'",
     "div", "div class='comment-block'", "span class='byline'", "p class='comment-content'"]
)  # fmt: skip


def _part_elements(parts: list[tuple[str, list[str]]]) -> tuple[HtmlElement, ...]:
    """The elements of a definition list of ``parts`` (an opening tag, its pieces), parsed."""
    inner = "".join(f"<{tag}>{''.join(pieces)}</{tag.split()[0]}>" for tag, pieces in parts)
    page = f"<html><body><dl id='x'>{inner}</dl></body></html>"
    return tuple(load_document(page.encode()).root.get_element_by_id("x"))


@given(st.lists(st.tuples(_PART_TAGS, st.lists(_PART_PIECES, max_size=6)), max_size=4))
def test_paragraphs_less_bylines_are_the_plain_definitions(
    parts: list[tuple[str, list[str]]],
) -> None:
    elements = _part_elements(parts)
    scan = CommentParts(elements)
    assert _paragraphs_less_bylines(scan) == _plain_paragraphs_less_bylines(scan)


def _plain_scan(parts: tuple[etree._Element, ...]) -> dict[str, object]:
    """What ``CommentParts`` files, by its plain definition: a recursive walk of the parts
    that enters neither the text element nor a skipped box, one attribute read at a time."""
    found: dict[str, list[etree._Element]] = {
        name: []
        for name in ("id_carriers", "author_boxes", "links", "timed", "contents", "bylines")
    }
    deleted = False

    def visit(element: etree._Element) -> None:
        nonlocal deleted
        tag = element.tag
        if tag == "cite":
            found["author_boxes"].append(element)
        href = element.get("href")
        if href is not None:
            if tag == "a":
                found["links"].append(element)
            if "#c" in href:
                found["id_carriers"].append(element)
        if any(element.get(name) is not None for name in ("id", "name", "data-comment-id")):
            found["id_carriers"].append(element)
        stamps = ("data-timestamp", "data-datetime", "data-published")
        if (
            any(element.get(name) is not None for name in stamps)
            or (tag == "time" and element.get("datetime") is not None)
            or (tag == "abbr" and element.get("title") is not None)
        ):
            found["timed"].append(element)
        classes = element.get("class") or ""
        tokens = classes.split()
        if any(name in classes for name in comment_fields._SKIPPED_CLASSES) or "cAv" in tokens:
            return
        compact = {"cNm", "cCn", "cTm"}.intersection(tokens)
        if compact or any(word in classes for word in ("comment", "byline", "datetime")):
            if tag != "cite" and (
                any(name in classes for name in comment_fields._AUTHOR_CLASSES) or "cNm" in tokens
            ):
                found["author_boxes"].append(element)
            deleted = deleted or "deleted-comment" in classes
            if any(name in classes for name in comment_fields._BYLINE_CLASSES) or "cTm" in tokens:
                found["bylines"].append(element)
            is_text = any(name in classes for name in comment_fields._CONTENT_CLASSES)
            wrapper = bool(comment_fields.HEADER_INSIDE(element))
            if (is_text or "cCn" in tokens) and not found["contents"] and not wrapper:
                found["contents"].append(element)
                deleted = deleted or bool(comment_fields.DELETED_MARKS(element))
                return
        for child in element:
            if isinstance(child.tag, str):
                visit(child)

    for part in parts:
        if isinstance(part.tag, str):
            visit(part)
    return {**found, "deleted": deleted}


_SCAN_PIECES = st.sampled_from(
    [*_PART_PIECES.elements, "<p class='comment-content'>a<br>b</p>",
     "<p class='comment-content'>a<br class='x'>b<span class='deleted-comment'>d</span></p>",
     "<div class='comment-content'><div class='comment-header'>h</div>t</div>",
     "<div class='cCn'>c<br></div>", "<div class='cNm'><a href='https://p.example/'>N</a></div>",
     "<span class='cTm' data-timestamp='1600000000000'>t</span>", "<div class='cAv'><b>x</b></div>",
     "<span class='comment-replybox'><a href='#c5'>r</a></span>", "<a id='c77'>i</a>",
     "<span class='deleted-comment'>gone</span>", "<time datetime='2020-01-02T03:04:05Z'>t</time>",
     "<a href='x?showComment=1600000000000#c1' data-comment-id='1'>p</a>"]
)  # fmt: skip


@given(st.lists(st.tuples(_PART_TAGS, st.lists(_SCAN_PIECES, max_size=6)), max_size=4))
def test_comment_parts_files_what_its_plain_definition_files(
    parts: list[tuple[str, list[str]]],
) -> None:
    elements = _part_elements(parts)
    scan = CommentParts(elements)
    plain = _plain_scan(elements)
    assert {name: getattr(scan, name) for name in plain} == plain


_CONTENT_PIECES = st.sampled_from(
    ["<p>a</p>", "<p>a  b\n c</p>", "<div>b</div>", "<p class='x'>c</p>", "<p></p>", " ", "\n",
     "text", "<br>", "<!-- c -->", "<pre>x\n y</pre>", "<p><b>x</b></p>", "<hr>", "<li>i</li>",
     "<p class='blogger-post-footer'>f</p>", "<span>s</span>", "\u00a0", "<p>\u00a0</p>",
     "<h3>h</h3>", "<td>t</td>", "<script>s</script>"]
)  # fmt: skip


@given(st.lists(_CONTENT_PIECES, max_size=8).map("".join))
def test_content_paragraphs_are_the_body_writers(inner: str) -> None:
    page = f"<html><body><dl><dd id='x'>{inner}</dd></dl></body></html>"
    content = load_document(page.encode()).root.get_element_by_id("x")
    assert comment_fields.content_paragraphs(content) == body_paragraphs(content)


# The definition of a partial thread's controls: any descendant of the container that is a
# live "Load more" or a comment-page control with a link (read_thread finds them by its
# walks of the comments and of the rest of the container).
_PLAIN_MORE = Elements(
    "descendant::*[(contains(concat(' ', normalize-space(@class), ' '), ' loadmore ')"
    " and not(contains(concat(' ', normalize-space(@class), ' '), ' hidden '))"
    " and not(contains(translate(@style, ' ', ''), 'display:none')))"
    " or (contains(@class, 'paging-control-container') and .//a[@href])]"
)
_MORE_PIECES = st.sampled_from(
    ["<div class='loadmore'>m</div>", "<div class='loadmore hidden'>m</div>",
     "<span class='x\tloadmore'>m</span>", "<div class='loadmore' style='display: none'>m</div>",
     "<div class='loadmore' style='display:\tnone'>m</div>", "<b class='loadmores'>m</b>",
     "<div class='paging-control-container'><a href='?p=2'>2</a></div>",
     "<div class='paging-control-container'><a>no link</a></div>",
     "<div class='x-paging-control-containers'><span><a href=''>e</a></span></div>",
     "<div class='avatar-image-container'><i class='loadmore'>a</i></div>",
     "<p class='comment-content'>t<br>u</p>", "<p class='comment-content'>t<b class='loadmore'>"
     "b</b></p>", "<div class='comment-block'>", "</div>", "<ol>", "</ol>",
     "<li class='comment' id='c1'>", "<li class='comment' id='c2'>", "</li>",
     "<div class='comment-replies'>", "<dl><dt class='comment-author'>A</dt><dd>d</dd></dl>",
     "<a name='c12345'></a>", "text"]
)  # fmt: skip


@example(  # a live control in a comment's skipped avatar box
    "<li class='comment' id='c1'><div class='avatar-image-container'><i class='loadmore'>a</i>"
    "</div></li>",
    "",
    None,
)
@example(  # a live control inside a comment's text element
    "<li class='comment' id='c1'><p class='comment-content'>t<b class='loadmore'>b</b></p></li>",
    "",
    None,
)
@example(  # a stray comment pushed out of the container holds one: not the container's
    "<li class='comment' id='c1'><p class='comment-content'>t</p></li>",
    "<ul><li class='comment' id='c2'><div class='loadmore'>m</div></li></ul>",
    40,
)
@settings(max_examples=300)
@given(
    st.lists(_MORE_PIECES, max_size=16).map("".join),
    st.lists(_MORE_PIECES, max_size=6).map("".join),
    st.sampled_from([None, 1, 40]),
)
def test_a_thread_is_partial_exactly_when_its_container_holds_a_live_control(
    inside: str, after: str, shown: int | None
) -> None:
    page = (
        "<html><body><div class='post'><div class='post-body' id='body'>Post text.</div></div>"
        f"<div class='comments' id='comments'><ol>{inside}</ol></div>{after}</body></html>"
    )
    root = load_document(page.encode()).root
    container = comment_thread.thread_container(root.get_element_by_id("body"))
    assert container is not None
    thread = comment_thread.read_thread(root.get_element_by_id("body"), shown)
    assert thread.partial == bool(_PLAIN_MORE(container))


_CHILD_PIECES = st.sampled_from(
    ["<div class='comment-block'>b</div>", "<li class='comment'>r</li>", "<li>plain</li>",
     "<div class='comment-replies'>x</div>", "<div class='x thread-chrome'>t</div>",
     "<span class='inline-thread'>i</span>", "<div class='comment-thread toplevel'>c</div>",
     "<div class='comment'>d</div>", "<!-- note -->", "text", "<b>b</b>", "<li class='a comment'>"
     "</li>", "<div class='avatar-image-container'><img></div>"]
)  # fmt: skip


@given(st.lists(_CHILD_PIECES, max_size=8).map("".join))
def test_own_parts_are_their_plain_definition(inner: str) -> None:
    page = f"<html><body><ol><li class='comment' id='c1'>{inner}</li></ol></body></html>"
    item = load_document(page.encode()).root.get_element_by_id("c1")
    replies = {"comment-replies", "comment-thread", "inline-thread", "thread-chrome"}
    plain = tuple(
        child
        for child in item
        if isinstance(child.tag, str)
        and not replies.intersection((child.get("class") or "").split())
        and not (child.tag == "li" and "comment" in (child.get("class") or "").split())
    )
    assert comment_markup.own_parts(item) == plain


def _plain_epoch_ms(digits: str) -> datetime | None:
    """``from_epoch_ms`` as first written: a float of seconds, converted by the C library."""
    try:
        moment = datetime.fromtimestamp(int(digits[:13]) / 1000, tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None
    moment = moment.astimezone(UTC)
    return moment if _FIRST_COMMENT <= moment < _LATEST_PLAUSIBLE else None


_FIRST_MS, _LATEST_MS = 933_465_600_000, 4_102_444_800_000  # 1999-08-01, 2100-01-01


@example("933465600000")
@example("933465599999")
@example("4102444799999")
@example("4102444800000")
@example("1236906540000123")
@example("12369065400\u00b2")
@example("9" * 16)
@settings(max_examples=3000)
@given(
    st.one_of(
        st.integers(_FIRST_MS - 2_000, _LATEST_MS + 2_000).map(str),
        st.integers(_FIRST_MS, _LATEST_MS).map(lambda ms: f"{ms}{ms % 997}"),
        st.integers(0, 10**16).map(str),
        st.text(st.sampled_from("0123456789\u00b2\u0663"), min_size=10, max_size=16),
    )
)
def test_epoch_milliseconds_are_the_plain_conversions(digits: str) -> None:
    assert repr(comment_fields.from_epoch_ms(digits)) == repr(_plain_epoch_ms(digits))


def test_marked_lines_are_collapsed_at_every_latin1_character() -> None:
    for code in range(1, 0x100):
        char = chr(code)
        if char == "\x7f":
            continue  # the mark
        lines = [f"a{char}b", f"c{char}{char}d", f"{char}e"]
        expected = "\n".join(filter(None, (" ".join(line.split()) for line in lines)))
        assert marked_paragraphs("\x7f".join(lines)) == [expected], repr(char)
        assert marked_paragraphs("<br/>".join(lines), "<br/>") == [expected], repr(char)
