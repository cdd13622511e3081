"""The theme families' fast paths find what their plain definitions find.

* Blogger's bodies are found once per page and shared by the 2017 and Layouts families: the
  same elements as finding them afresh;
* the 2017 family reads the bodies' classes, then the version of the Blog widget holding the
  first body, before searching the page's bytes for the v2 Blog widget, and searches nothing
  when the page has no Blogger body: the same location (or None) as the plain definition
  (a body's class, else the holding widget's version found by an ancestor query, else the
  widget in the bytes), tested first;
* the template families look inside the Blog widget first (a sidebar's copy of a post's
  markup is not the post), then the whole page; the Dynamic Views overlay is looked for
  only where a dynamic template may have written the page.

Over the fixtures' pages, the generated stress pages and pages built to tell the paths apart.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import lxml.html
import pytest
from lxml.html import HtmlElement

from benchmarks.stress_pages import stress_pages
from crawler.parsing import NotAPostError, UnreadablePageError, read_page_facts
from crawler.parsing.themes import dynamic, layouts, locate_post, v2017
from crawler.parsing.themes.base import (
    PageFacts,
    PostLocation,
    blogger_bodies,
    choose_body,
    has_token,
    outermost,
)
from crawler.parsing.xpath import Elements, class_token

FIXTURES = Path(__file__).parent / "fixtures"


def _plain_blogger_bodies(facts: PageFacts) -> list[HtmlElement]:
    """Blogger's bodies as first defined: by id, else by class, found on every call."""
    by_id = facts.post_body_elements()
    if by_id:
        return by_id
    return [
        e
        for e in facts.with_class("post-body", divs_only=True)
        if has_token(e, "entry-content") and not (e.get("id") or "").startswith("post-snippet-")
    ]


_HOLDING_WIDGET = Elements(
    "ancestor::div[" + class_token("widget") + " and " + class_token("Blog") + "][1]"
)


def _plain_is_2017(facts: PageFacts) -> bool:
    bodies = _plain_blogger_bodies(facts)
    if any(has_token(body, "float-container") for body in bodies):
        return True
    widgets = _HOLDING_WIDGET(bodies[0]) if bodies else []
    if widgets:
        return widgets[0].get("data-version") == "2"
    return v2017._BLOG_WIDGET_V2.search(facts.doc.body) is not None  # noqa: SLF001


def _plain_2017_locate(facts: PageFacts) -> PostLocation | None:
    """The 2017 family, plainly: a body's class, the holding widget's version, the bytes."""
    if not _plain_is_2017(facts):
        return None
    return choose_body(v2017.NAME, _plain_blogger_bodies(facts), facts.ids.post_id)


_WIDGETS = (
    "",
    "<div class='widget Blog' data-version='2' id='Blog1'>",
    "<div class='widget Blog' data-version='1' id='Blog1'>",
    "<script>var w = \"widget Blog' data-version='2'\";</script>",
    # A Layouts Blog widget holding the body decides, whatever the bytes name elsewhere.
    "<script>var w = \"widget Blog' data-version='2'\";</script>"
    "<div class='widget Blog' data-version='1' id='Blog1'>",
    "<div class='widget Blog' id='Blog1'>",
)
_BODIES = (
    "",
    "<div class='post-body entry-content float-container' id='post-body-123'><p>a</p></div>",
    "<div class='post-body entry-content container' id='post-body-123'><p>a</p></div>",
    "<div class='post-body entry-content'><p>a</p></div>"
    "<div class='post-body entry-content float-container'><p>b</p></div>",
    "<div class='post-body entry-content' id='post-snippet-5'><p>a</p></div>",
    "<div class='post-body'><p>no entry-content</p></div>",
)


def _built_pages() -> list[tuple[str, str, bytes]]:
    pages = []
    for (w, widget), (b, body) in itertools.product(enumerate(_WIDGETS), enumerate(_BODIES)):
        html = f"<html><head></head><body>{widget}<div class='post'>{body}</div></body></html>"
        pages.append((f"built-{w}-{b}", "", html.encode()))
    return pages


def _pages() -> list[tuple[str, str, bytes]]:
    pages = _built_pages()
    pages += [(p.name, p.url, p.body) for p in stress_pages(seed=15)]
    for path in sorted((FIXTURES / "pages").glob("*.html")):
        pages.append((path.name, str(path), path.read_bytes()))
    return pages


def _facts(url: str, body: bytes) -> PageFacts | None:
    try:
        return read_page_facts(url, body)
    except (NotAPostError, UnreadablePageError):
        return None


@pytest.mark.parametrize(("name", "url", "body"), _pages(), ids=[n for n, _, _ in _pages()])
def test_the_2017_family_and_the_shared_bodies_equal_their_plain_forms(
    name: str, url: str, body: bytes
) -> None:
    facts, plain_facts = _facts(url, body), _facts(url, body)
    if facts is None or plain_facts is None:
        pytest.skip(f"{name}: rejected before the families run")
    found, plain = v2017.locate(facts), _plain_2017_locate(plain_facts)
    assert (found is None) == (plain is None)
    if found is not None and plain is not None:
        assert (found.extractor, found.body_count, found.author_hint) == (
            plain.extractor,
            plain.body_count,
            plain.author_hint,
        )
        assert found.body.getroottree().getpath(found.body) == plain.body.getroottree().getpath(
            plain.body
        )
    shared = blogger_bodies(facts)
    assert blogger_bodies(facts) is shared  # found once
    paths = [e.getroottree().getpath(e) for e in shared]
    assert paths == [e.getroottree().getpath(e) for e in _plain_blogger_bodies(plain_facts)]


def test_the_built_pages_reach_every_outcome() -> None:
    """The built pages tell the paths apart: 2017 by widget, by class, not 2017, no body."""
    outcomes = set()
    for _, url, body in _built_pages():
        facts = _facts(url, body)
        assert facts is not None
        location = _plain_2017_locate(facts)
        has_bodies = bool(_plain_blogger_bodies(facts))
        outcomes.add((location is not None, has_bodies))
    assert outcomes == {(True, True), (False, True), (False, False)}


def _widget_page(before: str, widget: str, after: str = "") -> bytes:
    return (
        "<html><head><meta content='article' property='og:type'/></head><body>"
        f"{before}<div class='widget Blog' id='Blog1'>{widget}</div>{after}</body></html>"
    ).encode()


_SIDEBAR_COPY = (
    "<div class='widget FeaturedPost' id='FeaturedPost1'><div class='post'>"
    "<div class='post-body entry-content'><p>another post's opening</p></div></div></div>"
)
_POST = "<div class='post hentry'><div class='post-body entry-content'><p>the post</p></div></div>"


def test_the_families_look_inside_the_blog_widget_first() -> None:
    """A sidebar's copy of a post's markup, before the Blog widget, is not the post."""
    facts = read_page_facts("", _widget_page(_SIDEBAR_COPY, _POST))
    location = locate_post(facts)
    assert location is not None
    assert (location.body.text_content(), location.body_count) == ("the post", 1)
    # The whole page, as before the widget was asked first: the sidebar's copy came first.
    whole = layouts.locate(read_page_facts("", _widget_page(_SIDEBAR_COPY, _POST)))
    assert whole is not None
    assert (whole.body.text_content(), whole.body_count) == ("another post's opening", 2)


def test_a_body_outside_the_blog_widget_is_found_in_the_whole_page() -> None:
    facts = read_page_facts("", _widget_page("", "<p>no post here</p>", _POST))
    location = locate_post(facts)
    assert location is not None
    assert location.body.text_content() == "the post"


_OVERLAY = (
    "<div class='viewitem-panel'><div itemprop='articleBody'>the overlay's post</div></div>"
    "<div class='post-body'><p>the list behind</p></div>"
)


def test_the_overlay_is_looked_for_where_a_dynamic_template_may_be() -> None:
    """Declared dynamic, or neither Blogger's body ids nor its Blog widget: the overlay wins;
    a page with the Blog widget is not a Dynamic Views page."""
    plain = f"<html><head></head><body>{_OVERLAY}</body></html>".encode()
    declared = (
        "<html><head><meta name='blogger-template' content='dynamic'/></head>"
        f"<body>{_OVERLAY}</body></html>"
    ).encode()
    for page in (plain, declared):
        location = locate_post(read_page_facts("", page))
        assert location is not None
        assert location.extractor == dynamic.NAME
    location = locate_post(read_page_facts("", _widget_page("", _OVERLAY)))
    assert location is not None
    assert location.extractor != dynamic.NAME


def test_outermost_drops_exactly_the_nested_elements_of_any_selection() -> None:
    """Selections of none, one and several elements: the plain definition's answer."""
    root = lxml.html.document_fromstring(
        "<html><body><div><div><p>a</p></div><p>b<span>c</span></p></div><p>d</p></body></html>"
    )
    elements = list(root.iter())
    for size in (0, 1, 2, 3):
        for chosen in itertools.combinations(elements, size):
            picked = set(chosen)
            plain = [e for e in chosen if not any(a in picked for a in e.iterancestors())]
            assert outermost(list(chosen)) == plain
