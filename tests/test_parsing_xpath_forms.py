"""The attribute-first queries select exactly what the element-predicate forms they replaced do.

``descendant-or-self::*/@class[contains(., 'x')]/..`` costs libxml2 far less than
``descendant-or-self::*[contains(@class, 'x')]`` (an element predicate builds a node set
per element to read ``@class``). Each query the parser runs beside the post body is compared
here with its plain form, kept as the definition, from every element of the fixture and
stress pages and of a page holding every case the predicates tell apart. The post's author,
times, shown dates and labels are found by one walk (``around.evidence_in``) and told apart
by a Python test each: those pairs are compared with the plain forms the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from benchmarks.stress_pages import stress_pages
from crawler.parsing import (
    around,
    comment_markup,
    comment_thread,
    comments,
    dates,
    metadata,
    page_kind,
)
from crawler.parsing.document import load_document
from crawler.parsing.themes import base
from crawler.parsing.xpath import Elements, Strings, class_token

FIXTURES = Path(__file__).parent / "fixtures"


def _evidence(kind: Callable[[etree._Element], bool]) -> Callable[[etree._Element], list]:
    """The candidates around.py's one evidence walk finds that ``kind`` accepts."""
    return lambda context: [e for e in around.evidence_in(context) if kind(e)]


_PLAIN = {
    "published": (
        _evidence(dates.is_published_evidence),
        "descendant-or-self::*[((self::abbr or self::time) and contains(@class, 'published'))"
        " or (@itemprop and @itemprop='datePublished')]",
    ),
    "updated": (
        _evidence(dates.is_updated_evidence),
        "descendant-or-self::*[((self::abbr or self::time) and contains(@class, 'updated'))"
        " or (@itemprop and @itemprop='dateModified')]",
    ),
    "shown dates": (
        _evidence(dates.is_shown_date_evidence),
        "descendant-or-self::*[(@class and (contains(@class, 'date')"
        " or contains(@class, 'timestamp') or contains(@class, 'published')"
        " or contains(@class, 'post-footer') or contains(@class, 'byline')"
        " or contains(@class, 'post-info') or contains(@class, 'post-meta')"
        " or contains(@class, 'postmeta') or contains(@class, 'entry-meta')))"
        " or (@itemprop and @itemprop='datePublished') or self::time"
        " or (self::a and @rel='bookmark')]",
    ),
    "date headers": (
        dates._DATE_HEADERS,
        "descendant-or-self::*[contains(@class, 'date-header')]",
    ),
    "author": (
        _evidence(metadata.is_author_evidence),
        "descendant-or-self::*[(@class and ((contains(@class, 'author')"
        " and (contains(@class, 'post-author') or contains(@class, 'entry-author-link')"
        " or contains(@class, 'by-author'))) or "
        + class_token("fn")
        + " or contains(@class, 'post-footer') or contains(@class, 'publish-info')"
        " or contains(@class, 'byline') or contains(@class, 'pNm')))"
        " or (@itemprop and @itemprop='name' and ancestor::*[@itemprop='author'])"
        " or (self::a and @rel='author' and not(contains(@class, 'profile')))]",
    ),
    "labels": (
        _evidence(metadata.is_label_evidence),
        "descendant-or-self::*[(@class and (contains(@class, 'post-labels')"
        " or contains(@class, 'label-info'))) or (self::a and @rel='tag')]",
    ),
    "thread items here": (
        comment_markup.thread_items_here,
        "descendant-or-self::li[contains(@class, 'comment')]"
        "[contains(concat(' ', normalize-space(@class), ' '), ' comment ')]",
    ),
    "thread containers": (
        comment_thread._CONTAINERS,
        ".//*[@id='comments' or @id='comment-holder' or @id='comments-block'"
        " or @id='comment-blogger' or contains(concat(' ', normalize-space(@class), ' '),"
        " ' comments ') or contains(@class, 'comments-content')"
        " or contains(@class, 'comment-thread')]",
    ),
    "comment blocks": (
        comment_markup._BLOCKS,
        ".//div[starts-with(@id, 'c')]"
        "[contains(concat(' ', normalize-space(@class), ' '), ' comment ')]"
        "[string-length(@id) > 1 and translate(substring(@id, 2), '0123456789', '') = '']",
    ),
    "comment anchors": (
        comment_markup._ANCHORED,
        ".//*[starts-with(@id, 'c')][translate(substring(@id, 2), '0123456789', '') = ''"
        " and string-length(@id) > 4]"
        " | .//a[starts-with(@name, 'c')][translate(substring(@name, 2), '0123456789', '') = ''"
        " and string-length(@name) > 4]",
    ),
    "section headings": (
        comments.section_headings,
        "(.//h2|.//h3|.//h4|.//h5|.//*["
        + class_token("comments-title")
        + "])[not(ancestor::*[@id='backlinks-container'"
        " or contains(@class, 'backlinks')])][1]",
    ),
    "section thread markers": (
        comments._THREAD_MARKERS,
        "(.//*[@id='comment-holder' or @id='comments-block' or @id='comment-form'"
        " or @id='comment-editor' or contains(@class, 'comments-content')"
        " or contains(@class, 'comment-thread') or contains(@class, 'comment-form')])[1]",
    ),
    "post parts": (
        page_kind._POST_PART,
        "(.//*[contains(@class, 'post-title') or contains(@class, 'entry-title')"
        " or contains(@class, 'post-body') or starts-with(@id, 'post-snippet-')])[1]",
    ),
    "section thread items": (
        comments._THREAD_ITEMS,
        ".//li[" + class_token("comment") + "] | .//dt[contains(@class, 'comment-author')]",
    ),
    "comment sections": (
        comments._SECTIONS,
        ".//*[@data-num-comments or " + class_token("comments") + "]",
    ),
    "comment counters": (
        comments._COUNTERS,
        ".//*[@data-num-comments or (@data-count and (contains(@class, 'comment')"
        " or contains(@class, 'count') or self::h2 or self::h3 or self::h4))]",
    ),
    "comment bubbles": (comments._BUBBLES, ".//*[contains(@class, 'comments-count')]"),
    "comment links": (
        comments._POST_COMMENT_LINKS,
        "descendant-or-self::a[contains(@class, 'comment-link') or (contains(@href, '#comments')"
        " and substring(@href, string-length(@href) - 8) = '#comments')]",
    ),
}

# Every case the predicates tell apart: each class word on the right and the wrong tag, the
# token "fn" and near misses, itemprops inside and outside an author, rel values, hrefs that
# end with #comments or only contain it, attributes nested inside matches.
_CASES = b"""<html><body><div class='post'>
<abbr class='published' title='2020-01-01T00:00:00Z'>x</abbr><span class='published'>p</span>
<time class='updated published' datetime='2020'>t</time><time>bare</time><abbr class='upd'>u</abbr>
<span class='updated'>u</span><b itemprop='datePublished'>d</b><b itemprop='dateModified'>m</b>
<i itemprop='datePublishedX'>no</i><div class='date-header'><span>h</span></div>
<p class='post-timestamp'><a rel='bookmark' href='#x'>link</a></p><a rel='bookmarks'>no</a>
<span class='fn'>Fn</span><span class='fnx'>no</span><span class=' a fn b '>fn2</span>
<span class='post-author vcard'><span class='fn'>A</span></span><span class='author'>no</span>
<span class='entry-author-link'>E</span><span class='by-author'>B</span><p class='byline'>by</p>
<div itemprop='author'><span itemprop='name'>N</span><div><b itemprop='name'>deep</b></div></div>
<span itemprop='name'>loose</span><a rel='author' href='/p'>R</a>
<a rel='author' class='profile-link'>no</a><a rel='author' class='g-profile'>no</a>
<span class='post-labels'><a rel='tag' href='/l'>L</a></span><a rel='tag'>T</a><b rel='tag'>b</b>
<div class='label-info'>i</div><a class='comment-link' href='/c'>c</a>
<a href='/p.html#comments'>3 comments</a><a href='/p.html#comments-x'>no</a>
<a href='#comments'>s</a><b rel='bookmark'>no</b><i rel='author'>no</i>
<a rel='author' itemprop='name' href='/q'>both</a><abbr itemprop='dateModified'>m</abbr>
<span class='pNm'>P</span><div class='post-footer'><span class='postmeta entry-meta'>m</span></div>
<div class='post-info'>pi</div><div class='post-meta'>pm</div><div class='publish-info'>pu</div>
<div id='comments'><h4 class='comments-title x'>2 comments</h4><ol>
<li class='comment' id='c1234567'><a name='c7654321'></a><a href='/p?showComment=1#c1'>t</a>
<div class='comment' id='c99'>b</div><div class='comments' id='c98'>no</div></li>
<li class='comments'>no</li><li class='a comment b'>yes</li><li class='comment-reply'>no</li>
</ol><dl><dt class='comment-author'>A</dt><dd>x</dd></dl><div id='c12'>short</div>
<a name='cx1234'>no</a>
<div id='comment-holder'><div class='comment-thread x'>t</div><div class='comments-content'>c</div>
<span class='xcomments'>no</span><p id='comment-blogger'>b</p><p id='comments-block'>k</p>
<p class='comments\tx'>tab</p><p title='comments'>no</p></div>
<i data-num-comments='3'>n</i><h3 data-count='2'>h</h3><b data-count='1'>no</b>
<span class='count' data-count='5' data-num-comments='5'>s</span><b class='x comments-count'>4</b>
<div class='backlinks'><h3 class='comments-title'>no</h3></div></div>
</div></body></html>"""


def _contexts() -> list[etree._Element]:
    """Every element of the fixture pages and the cases page; every 25th of the stress pages."""
    contexts: list[etree._Element] = []
    pages = [p.read_bytes() for p in sorted((FIXTURES / "pages").glob("*.html"))] + [_CASES]
    for page in pages:
        contexts.extend(e for e in load_document(page).root.iter() if isinstance(e.tag, str))
    for stress in stress_pages(seed=15):
        elements = [e for e in load_document(stress.body).root.iter() if isinstance(e.tag, str)]
        contexts.extend(elements[::25])
    return contexts


@pytest.fixture(scope="module")
def contexts() -> list[etree._Element]:
    return _contexts()


@pytest.mark.parametrize("name", ["post-body", "viewitem-panel", "postBody", "comment", "fn"])
def test_whole_page_class_scans_select_what_the_plain_scan_selects(name: str) -> None:
    plain = Elements("/descendant::*[contains(@class, $name)]")
    plain_divs = Elements("/descendant::div[contains(@class, $name)]")
    pages = [p.read_bytes() for p in sorted((FIXTURES / "pages").glob("*.html"))] + [_CASES]
    pages += [page.body for page in stress_pages(seed=15)[2::8]]
    for page in pages:
        root = load_document(page).root
        assert base._CLASS_CONTAINS.whole(root, name=name) == plain(root, name=name)
        assert base._DIV_CLASS_CONTAINS.whole(root, name=name) == plain_divs(root, name=name)


def test_whole_page_article_body_scan_selects_what_the_plain_scan_selects() -> None:
    plain = Elements(
        "/descendant::*[contains(@itemprop, 'rticleBody') or contains(@itemprop, 'rticlesBody')]"
    )
    found = 0
    pages = [p.read_bytes() for p in sorted((FIXTURES / "pages").glob("*.html"))]
    pages.append(
        b"<html><body><div itemprop='articleBody'><p itemprop='x articlesBody'>a</p>"
        b"<p itemprop='ArticleBody'>b</p><p itemprop='rticle'>no</p></div></body></html>"
    )
    for page in pages:
        root = load_document(page).root
        assert base._ITEMPROP_BODIES.whole(root) == plain(root)
        found += len(plain(root))
    assert found


def test_permalinks_are_read_as_the_plain_query_reads_them(
    contexts: list[etree._Element],
) -> None:
    plain = Strings("descendant-or-self::a[contains(@href, 'showComment=')]/@href")
    found = 0
    for element in contexts:
        hrefs = list(comment_markup.permalinks(element))
        assert hrefs == plain(element)
        found += len(hrefs)
    assert found


@pytest.mark.parametrize("name", sorted(_PLAIN))
def test_the_attribute_first_query_selects_what_the_plain_query_selects(
    name: str, contexts: list[etree._Element]
) -> None:
    query, plain = _PLAIN[name]
    definition = Elements(plain)
    selected = 0
    for element in contexts:
        found = query(element)
        assert found == definition(element), (name, element.tag, element.get("class"))
        selected += len(found)
    assert selected  # the pages hold matches for every query


_THREAD_ITEM_CASES = (
    "<html><body><ol><li class='comment'>a<ol><li class='x comment y'>b</li></ol></li>"
    "<li class='comments'>no</li><li class='comment-reply'>no</li><li>no</li>"
    "<li class='\tcomment\n'>tab</li><li class='comment\u00a0x'>no-break: one token</li>"
    "<li class='a\rcomment'>cr</li><li class='Comment'>case</li><div class='comment'>d</div>"
    "<li class='comment\u2003'>em space</li><li class='  comment  '>spaces</li></ol></body></html>"
)


def test_thread_items_are_what_the_token_query_selects(contexts: list[etree._Element]) -> None:
    """comment_markup.thread_items (a walk over ``li`` elements) against its XPath definition,
    from every context element, and from a page of the whitespace cases XPath tells apart."""
    plain = Elements(
        ".//li[contains(@class, 'comment')]"
        "[contains(concat(' ', normalize-space(@class), ' '), ' comment ')]"
    )
    cases = load_document(_THREAD_ITEM_CASES.encode()).root
    selected = 0
    for element in [*contexts, *cases.iter()]:
        if not isinstance(element.tag, str):
            continue
        found = comment_markup.thread_items(element)
        assert found == plain(element)
        selected += len(found)
    assert selected
    assert [li.text for li in comment_markup.thread_items(cases)] == [
        "a",
        "b",
        "tab",
        "cr",
        "spaces",
    ]


def test_the_listing_structure_scan_selects_what_the_plain_scan_selects() -> None:
    plain = Elements(
        "/descendant::*[contains(@class, 'status-msg-body') or contains(@class, 'post-outer')"
        " or contains(@class, 'hentry') or contains(@class, 'blog-pager-')"
        " or contains(@class, 'jump-link') or starts-with(@id, 'post-snippet-')]"
    )
    pages = [p.read_bytes() for p in sorted((FIXTURES / "pages").glob("*.html"))]
    pages += [page.body for page in stress_pages(seed=15)[::5]]
    pages.append(
        b"<html><body><div class='post-outer hentry' id='post-snippet-1'><p id='post-snippet-2'"
        b" class='jump-link'>a</p></div><span class='blog-pager-older-link'>o</span><i"
        b" id='x-post-snippet-3' class='status-msg-bodyx'>s</i><b class='Post-Outer'>no</b>"
        b"<b title='hentry'>no</b></body></html>"
    )
    found = 0
    for page in pages:
        root = load_document(page).root
        assert page_kind._STRUCTURE.whole(root) == plain(root)
        found += len(plain(root))
    assert found


def _items_walk(box: etree._Element) -> list[etree._Element]:
    """The evidence walk as first written: each element's attributes read as (name, value)."""
    words = re.compile(
        "author|fn|post-footer|byline|pNm|published|date|timestamp|info|meta|post-labels"
    )
    found = []
    for element in box.iter(etree.Element):
        for name, value in element.items():
            if (
                (name == "class" and words.search(value))
                or (name == "itemprop" and value in ("name", "datePublished", "dateModified"))
                or (name == "rel" and value in ("author", "tag", "bookmark"))
            ):
                found.append(element)
                break
        else:
            if element.tag == "time":
                found.append(element)
    return found


def _plain_author_rank(element: etree._Element) -> int:
    """The author evidence's rank as first written, reading the element."""
    ranks = {"post-author": 0, "entry-author-link": 2, "by-author": 2, "fn": 2, "pNm": 2}
    tokens = (element.get("class") or "").split()
    found = [rank for token, rank in ranks.items() if token in tokens]
    if found:
        return min(found)
    if element.get("itemprop") == "name":
        return 1
    if element.get("rel") == "author":
        return 4
    return 5 if {"post-footer", "publish-info", "byline"}.intersection(tokens) else 99


_CANDIDATE_TESTS = (
    (metadata.is_author_candidate, metadata.is_author_evidence),
    (metadata.is_label_candidate, metadata.is_label_evidence),
    (dates.is_published_candidate, dates.is_published_evidence),
    (dates.is_updated_candidate, dates.is_updated_evidence),
    (dates.is_shown_date_candidate, dates.is_shown_date_evidence),
)


def test_the_readers_test_the_candidates_the_walk_read_as_the_elements(
    contexts: list[etree._Element],
) -> None:
    """The evidence walk reads each candidate's attributes once; the readers test those.

    The walk finds what the first walk found, each candidate carries its element's
    attributes, and every reader's test (and the author rank, with its remembered class
    answers) gives on it what the test gives reading the element.
    """
    accepted = 0
    for context in contexts:
        candidates = around.candidates_in(context)
        assert [c.element for c in candidates] == _items_walk(context)
        for candidate in candidates:
            assert candidate == around.candidate_of(candidate.element)
            for test, element_test in _CANDIDATE_TESTS:
                assert test(candidate) is element_test(candidate.element)
                accepted += test(candidate)
            if metadata.is_author_candidate(candidate):
                assert metadata._author_rank(candidate) == _plain_author_rank(candidate.element)
    assert accepted


def test_the_evidence_query_over_boxes_finds_what_the_walk_finds(
    contexts: list[etree._Element],
) -> None:
    """around._EVIDENCE_IN_BOXES (the walk in C, for big sibling subtrees) selects the
    walk's candidates, in page order: of every context element alone, and of each run of
    sibling elements taken together (a side of the body, as candidates_beside asks it)."""
    query = around._EVIDENCE_IN_BOXES
    found = 0
    for context in contexts:
        walked = around.evidence_in(context)
        assert query(context, boxes=[context]) == walked
        found += len(walked)
        siblings = [child for child in context if isinstance(child.tag, str)]
        if len(siblings) > 1:
            together = [e for sibling in siblings for e in around.evidence_in(sibling)]
            assert query(context, boxes=siblings) == together
    assert found


def test_the_comment_count_queries_are_told_apart_among_their_union(
    contexts: list[etree._Element],
) -> None:
    """comments._AROUND (sections, headings and bubbles in one query) and
    comments.COMMENT_EVIDENCE (those and the thread containers) split by the Python tests
    give each query's own matches, from every context element; every container passes the
    thread's cheap test first."""
    kinds = (
        (comments._is_section, comments._SECTIONS),
        (comments._is_heading, comments._HEADINGS),
        (comments._is_bubble, comments._BUBBLES),
    )
    container = (
        lambda e: (
            comment_thread.might_be_container(e) and bool(comment_thread._CONTAINER_ITSELF(e))
        ),
        comment_thread._CONTAINERS,
    )
    selected = [0] * (len(kinds) + 1)
    for element in contexts:
        around = comments._AROUND(element)
        evidence = comments.COMMENT_EVIDENCE(element)
        for index, (kind, query) in enumerate((*kinds, container)):
            expected = query(element)
            if index < len(kinds):
                assert [e for e in around if kind(e)] == expected, (query.expression, element.tag)
            assert [e for e in evidence if kind(e)] == expected, (query.expression, element.tag)
            selected[index] += len(expected)
        for found in comment_thread._CONTAINERS(element):
            assert comment_thread.might_be_container(found)
    assert all(selected), selected


def test_the_container_test_selects_what_the_containers_own_query_selects(
    contexts: list[etree._Element],
) -> None:
    """comment_thread.is_container (asked of ancestors, siblings and evidence by the container
    search) is true exactly where _CONTAINER_ITSELF selects the element, from every context
    element and on edge cases of the attribute and token tests."""
    cases = lxml.html.fromstring(
        "<div><div id='comments'></div><div id='x-comments'></div><div class='comments'></div>"
        "<div class='x comments\ty'></div><div class='comments\u00a0x'></div>"
        "<div class='comments-content'></div><div class='comment-thread x'></div>"
        "<div id='comment-holder' class='other'></div><div id='other' class='comments'></div>"
        "<div id='comments-block'></div><div id='comment-blogger'></div><div id='comment'></div>"
        "<div class='comment'></div><div data-x='comments' class='x'></div>"
        "<div id='Comments'></div><div class='xcomments-contentx'></div></div>"
    )
    elements = [*contexts, *cases.iter()]
    selected = 0
    for element in elements:
        expected = bool(comment_thread._CONTAINER_ITSELF(element))
        assert comment_thread.is_container(element) is expected, etree.tostring(element)[:80]
        selected += expected
    assert selected


def test_the_post_comment_links_test_selects_what_the_links_query_selects(
    contexts: list[etree._Element],
) -> None:
    """comments.post_comment_links (lxml's iterator over the links, each tested in Python) is
    comments._POST_COMMENT_LINKS, from every context element and on edge cases."""
    cases = lxml.html.fromstring(
        "<div><a href='/p.html#comments'>1</a><a href='#comments'>2</a><a href='#commentsx'>3</a>"
        "<a href='#comment'>4</a><a class='x comment-linkx'>5</a><a class='comment-Link'>6</a>"
        "<span class='comment-link'>7</span><a href='/p#comments' class='y'>8</a><a>9</a></div>"
    )
    selected = 0
    for element in [*contexts, cases]:
        expected = comments._POST_COMMENT_LINKS(element)
        assert comments.post_comment_links(element) == expected, etree.tostring(element)[:80]
        selected += len(expected)
    assert selected


def _plain_response_count(heading: etree._Element, title: str | None) -> int | None:
    text = " ".join(heading.text_content().split())
    match = comments._RESPONSE_HEADING.match(text)
    if match and (title is None or title in text):
        return int(match.group(1))
    return None


def test_the_response_heading_count_reads_the_whole_text_only_where_it_may_match(
    contexts: list[etree._Element],
) -> None:
    """comments._response_count passes over a heading whose leading text starts with no
    digit, without reading its whole text: the same answer as reading it, on every heading
    of the contexts and on edge cases (other digits, spaces, a child first)."""
    cases = lxml.html.fromstring(
        "<div><h2>3 Responses to \u201cT\u201d</h2><h2> \u00a0\n4 Responses to 'T'</h2>"
        '<h3>\u0665 Responses to "T"</h3><h3>\u00b2 Responses to "T"</h3>'
        '<h4><span>5</span> Responses to "T"</h4><h4> <b>6</b> Responses to "T"</h4>'
        "<h5>x 7 Responses to \"T\"</h5><h5>  </h5><h6></h6><h2><!--c-->8 Responses to 'T'</h2>"
        "</div>"
    )
    headings = [e for e in [*contexts, *cases.iter()] if e.tag in ("h2", "h3", "h4", "h5", "h6")]
    found = 0
    for heading in headings:
        for title in (None, "T"):
            expected = _plain_response_count(heading, title)
            assert comments._response_count(heading, title) == expected, etree.tostring(heading)
            found += expected is not None
    assert found


def test_the_definition_terms_are_what_the_terms_query_selects(
    contexts: list[etree._Element],
) -> None:
    """comment_markup.definition_terms (lxml's dt iterator, each term's lists looked up) is
    comment_markup._TERMS, from every context element and on edge cases: a dt outside any
    list, in a nested list, in a list that is the context itself, the context a dt."""
    cases = lxml.html.fromstring(
        "<div><dt>0</dt><dl><dt>1</dt><dd><dl><dt>2</dt></dl></dd><div><dt>3</dt></div></dl>"
        "<span><dt>4</dt></span><dl><dd>x</dd></dl><dl><dt><dt>5</dt></dt></dl></div>"
    )
    selected = 0
    for element in [*contexts, *cases.iter()]:
        if not isinstance(element.tag, str):
            continue
        expected = comment_markup._TERMS(element)
        assert comment_markup.definition_terms(element) == expected, etree.tostring(element)[:80]
        selected += len(expected)
    assert selected


def test_a_class_test_remembers_short_values_only() -> None:
    """Class tests answer alike remembered or not; a long value (untrusted) is not kept."""
    calls: list[str] = []

    @around.remembered_class_test
    def has_date(classes: str) -> bool:
        calls.append(classes)
        return "date" in classes

    short, long = "post-date", "x" * 300 + " date-header"
    assert [has_date(short), has_date(short), has_date(long), has_date(long)] == [True] * 4
    assert calls == [short, long, long]
    assert not has_date("post-footer")


_HEADING_CASES = b"""<html><body><div id='comments'>
<div id='backlinks-container'><h4>no: backlinks</h4></div><div class='x backlinks'><h2>no</h2></div>
<h6>no: h6</h6><p class='comments-titles'>no</p><p class='comments-title\tx'>tab: yes</p>
<h5>yes</h5></div><div class='comments'><span><b>a</b></span><h3>deep</h3></div>
<div class='post-outer'><span>a</span><div id='post-snippet-9'>snippet</div></div>
<div class='comments'><b class='x comment-form'>form</b><i id='comment-editor'>e</i></div>
<div class='hentry'><b class='xentry-titlex'>t</b></div></body></html>"""


_FIRST_DESCENDANTS = {
    "section headings": comments.section_headings,
    "section thread markers": comments._THREAD_MARKERS,
    "post parts": page_kind._POST_PART,
}


@pytest.mark.parametrize("probe", [0, 1, 3, 24])
@pytest.mark.parametrize("name", sorted(_FIRST_DESCENDANTS))
def test_first_descendants_past_the_probe_are_the_querys(
    name: str, probe: int, contexts: list[etree._Element], monkeypatch: pytest.MonkeyPatch
) -> None:
    """xpath.FirstDescendant's Python probe, cut short so that its query answers too."""
    first = _FIRST_DESCENDANTS[name]
    monkeypatch.setattr(first, "probe", probe)
    definition = Elements(_PLAIN[name][1])
    cases = [e for e in load_document(_HEADING_CASES).root.iter() if isinstance(e.tag, str)]
    found = 0
    for element in [*contexts, *cases]:
        selected = first(element)
        assert selected == definition(element), (element.tag, element.get("class"))
        found += len(selected)
    assert found
