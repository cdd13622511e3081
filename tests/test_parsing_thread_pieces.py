"""Class searches of the Blog widget and the page pass over the widget's comment thread.

``PageFacts.pieces`` gives a scope less the big comment threads it holds (the Blog widget's
containers found by id, ``PageFacts.threads``); every ``ScopeQuery`` run on those pieces must
select what its whole form selects less the elements inside a thread, in page order, and the
class values read from the pieces must be those of the elements outside a thread. Compared
on every stress page (three seeds), every fixture page and a page whose thread holds every
marker the families and the listing test look for.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml.html import HtmlElement

from benchmarks.stress_pages import stress_pages
from crawler.parsing import page_kind, parse_page, read_page_facts
from crawler.parsing.errors import NotAPostError
from crawler.parsing.themes import base
from crawler.parsing.themes.base import PageFacts

FIXTURES = Path(__file__).parent / "fixtures"

_COMMENT = (
    "<li class='comment' id='c{n}'><div class='comment-block'><cite class='user'>R{n}</cite>"
    "<p class='comment-content'>Comment {n}.</p></div></li>"
)
# A Blog widget whose thread (300 comments) holds every marker the families and the listing
# test look for, after a Plus UI body (a third-party template's).
_MARKED_THREAD = (
    "<html><head><title>t</title></head><body><div class='main'>"
    "<div class='widget Blog' id='Blog1'><div class='post-outer'><div class='post hentry'>"
    "<h3 class='post-title'>The post</h3><div id='postBody'><p>The post's own text.</p></div>"
    "<div class='comments' id='comments'><h4>300 comments:</h4><div id='comment-holder'>"
    "<div class='post-content' itemprop='articleBody'><p>not the post</p></div>"
    "<div class='post-body entry-content'><p>not the post either</p></div>"
    "<div class='post-outer'><h3 class='post-title'>no</h3></div>"
    "<div class='post-outer'><h3 class='post-title'>no</h3></div>"
    "<div id='post-snippet-1'>no</div><div class='blogPost'>no</div>"
    "<ol>" + "".join(_COMMENT.format(n=n) for n in range(300)) + "</ol>"
    "</div></div></div></div><div class='blog-pager' id='blog-pager'>"
    "<a class='blog-pager-older-link' href='/2019/12/older.html'>Older</a></div></div>"
    "<div class='sidebar'><div class='widget HTML'>"
    "<div class='entry-content'>side</div></div></div></div></body></html>"
)


def _pages() -> list[tuple[str, bytes]]:
    pages = [(p.url, p.body) for seed in (15, 3) for p in stress_pages(seed=seed)]
    pages += [("", p.read_bytes()) for p in sorted((FIXTURES / "pages").glob("*.html"))]
    pages.append(("https://x.blogspot.com/2020/01/t.html", _MARKED_THREAD.encode()))
    return pages


def _facts(url: str, body: bytes) -> PageFacts | None:
    try:
        return read_page_facts(url, body, None)
    except (ValueError, NotAPostError):  # pages refused before any class search
        return None


def _outside(elements: list[HtmlElement], threads: list[HtmlElement]) -> list[HtmlElement]:
    return [e for e in elements if not any(e is t or t in e.iterancestors() for t in threads)]


def _scopes(facts: PageFacts) -> list[HtmlElement]:
    widget = facts.post_widget()
    return [facts.root] if widget is None else [facts.root, widget]


_QUERIES = (
    (base._CLASS_CONTAINS, {"name": "post"}),
    (base._CLASS_CONTAINS, {"name": "comment"}),
    (base._DIV_CLASS_CONTAINS, {"name": "post-body"}),
    (base._DIV_CLASS_CONTAINS, {"name": "entry-content"}),
    (base._ITEMPROP_BODIES, {}),
    (page_kind._STRUCTURE, {}),
)


def test_queries_on_pieces_select_the_whole_forms_matches_outside_the_threads() -> None:
    passed_over = with_threads = 0
    for url, body in _pages():
        facts = _facts(url, body)
        if facts is None:
            continue
        threads = facts.threads()
        with_threads += bool(threads)
        for scope in _scopes(facts):
            for query, variables in _QUERIES:
                whole = query.whole(scope, **variables)
                expected = _outside(whole, threads)
                assert query(facts, scope, **variables) == expected, (url, scope.tag, query)
                passed_over += len(whole) - len(expected)
    assert with_threads >= 12  # the stress pages' big threads (and the marked one)
    assert passed_over  # elements inside threads were matched by the whole forms


def test_class_values_of_pieces_are_those_outside_the_threads() -> None:
    for url, body in _pages():
        facts = _facts(url, body)
        if facts is None or not facts.threads():
            continue
        for scope in _scopes(facts):
            outside = _outside([e for e in scope.iter() if e.get("class") is not None], [])
            outside = _outside(outside, facts.threads())
            expected = sorted(e.get("class") for e in outside)
            text = base._class_text(scope, facts.pieces(scope))
            assert sorted(text.split("\n")) == expected or (not expected and text == "")


def test_a_small_thread_is_searched_with_the_rest() -> None:
    small = _MARKED_THREAD.replace("<ol>", "<ol style='display:none'>", 1)
    small = small.split("<ol")[0] + "</div></div></div></div></div></body></html>"
    facts = read_page_facts("", small.encode(), None)
    assert facts.threads() == []
    assert facts.pieces(facts.root) is None


@pytest.mark.parametrize("markup", [_MARKED_THREAD])
def test_body_markers_inside_the_comment_thread_are_not_the_post(markup: str) -> None:
    """The post is Plus UI's ``#postBody``: the thread's ``div.post-content[itemprop]`` (the
    corporate family, asked first) and ``div.post-body.entry-content`` (Layouts) are a
    thread's markup, and its post blocks and snippet make no listing."""
    post = parse_page("https://x.blogspot.com/2020/01/t.html", markup.encode())
    assert post.extractor == "blogger-third-party"
    assert post.body_paragraphs == ["The post's own text."]
    assert post.title == "The post"


_ID_PIECES = st.sampled_from(
    ["post-body-", "post-body-1", "post-body-12", "post-body-x", "post-body-1x", "xpost-body-1",
     "post-body-١٢", "post-body-\n3", "post-body-4\r", "c123", "", "post-body--1", "Post-body-5"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_ID_PIECES, min_size=1, max_size=3).map("".join), max_size=8))
def test_post_body_names_are_the_expressions(ids: list[str]) -> None:
    """base.post_body_names against the expression it replaced, on ids joined a line each."""
    text = "\n" + "\n".join(ids)
    expected = re.findall(r"^post-body-[0-9]+$", text, re.MULTILINE)
    assert base.post_body_names(text) == expected
