"""The parser's fast paths give what the plain definitions give, on costly page shapes.

* every neighbourhood search the parser makes (whatever its query) returns what searching each
  whole neighbourhood with the query, then dropping the body's own elements, returns;
* parse + clean of the generated stress pages gives the titles, bodies and comment counts that
  the parser gave before it was made faster (digests in ``fixtures/stress_pages.digests.json``,
  written by the plain implementation; regenerate them only for a deliberate change of the
  generator or of the output, with ``python -m tests.test_parsing_speed_paths``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml.html import HtmlElement

from benchmarks.stress_pages import StressPage, stress_pages
from crawler.extraction import parse_and_clean
from crawler.parsing import (
    NotAPostError,
    UnreadablePageError,
    around,
    comment_markup,
    comment_thread,
    comments,
    parse_page,
    read_page_facts,
)
from crawler.parsing.document import element_ids, load_document
from crawler.parsing.proximity import (
    _SMALL_SUBTREE,
    NEIGHBOURHOOD_LEVELS,
    BodyNeighbourhood,
    _holds_none_passing,
    ring_query,
)
from crawler.parsing.xpath import Elements

FIXTURES = Path(__file__).parent / "fixtures"
DIGESTS = FIXTURES / "stress_pages.digests.json"
_BIG_TREE = 5_000
"""Elements from which a tree's every-Nth-element checks take fewer samples."""
# The sets the digests cover: (seed, scale).
STRESS_SETS = ((15, 1), (2, 2))


def _reference_search(
    near: BodyNeighbourhood,
    query: Elements,
    *,
    whole_page: bool = True,
    levels: tuple[int, ...] = NEIGHBOURHOOD_LEVELS,
    accept: Callable[[HtmlElement], bool] | None = None,
) -> list[HtmlElement]:
    """The search as defined: each whole neighbourhood, smallest first, body excluded."""
    top = len(near.ancestors) - 1
    scopes = [near.ancestors[level] for level in levels if level < top]
    if whole_page:
        scopes.append(near.root)
    for scope in scopes:
        found = [
            element
            for element in query(scope)
            if near.distance(element) > 0 and (accept is None or accept(element))
        ]
        if found:
            return found
    return []


def _pages() -> list[tuple[str, str, bytes]]:
    pages = [(p.name, p.url, p.body) for p in stress_pages(seed=15)]
    for path in sorted((FIXTURES / "pages").glob("*.html")):
        pages.append((path.name, str(path), path.read_bytes()))
    return pages


@pytest.mark.parametrize(("name", "url", "body"), _pages(), ids=[n for n, _, _ in _pages()])
def test_every_search_the_parser_makes_equals_the_whole_neighbourhood_search(
    name: str, url: str, body: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    searched: list[str] = []
    plain_search = BodyNeighbourhood.search

    def checked_search(near: BodyNeighbourhood, query: Elements, **options: object) -> object:
        found = plain_search(near, query, **options)  # type: ignore[arg-type]
        assert found == _reference_search(near, query, **options), (name, query.expression)  # type: ignore[arg-type]
        searched.append(query.expression)
        return found

    monkeypatch.setattr(BodyNeighbourhood, "search", checked_search)
    # A rejected page (listing, error page) is fine: the searches it made were still checked.
    with contextlib.suppress(NotAPostError, UnreadablePageError):
        parse_page(url, body)
    # Every stress page is a post: its metadata was searched for; but the first templates'
    # page, whose thread and count are its comment block, found beside the body level by
    # level (comment_early), and whose other metadata its classic markup gives first.
    if not name.endswith(".html") and not name.startswith("early-thread/"):
        assert searched


def _thread_pages() -> list[tuple[str, str, bytes]]:
    threads = sorted((FIXTURES / "pages" / "threads").glob("*.html"))
    return _pages() + [(path.name, str(path), path.read_bytes()) for path in threads]


@pytest.mark.parametrize(
    ("name", "url", "body"), _thread_pages(), ids=[n for n, _, _ in _thread_pages()]
)
def test_every_first_nearest_match_is_the_nearest_of_the_neighbourhood_search(
    name: str, url: str, body: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Also with the rings shared with the comment count (``superset``): asked first by the
    count (as parse_page does), or by the container search alone."""
    plain_first = BodyNeighbourhood.first_nearest
    asked: list[object] = []

    def checked_first(
        near: BodyNeighbourhood, query: Elements, itself: Elements, **options: object
    ) -> object:
        found = plain_first(near, query, itself, **options)  # type: ignore[arg-type]
        expected = near.nearest(_reference_search(near, query, whole_page=False))
        assert found is expected, (name, query.expression)
        asked.append(options.get("superset"))
        return found

    monkeypatch.setattr(BodyNeighbourhood, "first_nearest", checked_first)
    with contextlib.suppress(NotAPostError, UnreadablePageError):
        parse_page(url, body)
    # Each element of the tree as the body: the ancestors' own matches and every distance.
    doc = load_document(body)
    elements = list(doc.root.iter("*"))
    for element in elements[:: max(1, len(elements) // 40)]:
        for query, itself, superset in comment_thread.FIRST_NEAREST_QUERIES:
            near = BodyNeighbourhood(element)
            expected = near.nearest(_reference_search(near, query, whole_page=False))
            assert plain_first(near, query, itself) is expected, (name, query.expression)
            shared = BodyNeighbourhood(element)
            assert plain_first(shared, query, itself, superset=superset) is expected, name
            counted = BodyNeighbourhood(element)
            comments.comment_count(element, None, counted)
            assert plain_first(counted, query, itself, superset=superset) is expected, name
    assert all(superset is not None for superset in asked), name


@pytest.mark.parametrize(
    ("name", "url", "body"), _thread_pages(), ids=[n for n, _, _ in _thread_pages()]
)
def test_the_count_searches_from_one_query_find_what_each_search_finds(
    name: str, url: str, body: bytes
) -> None:
    """The comment count asks one query of each ring for its sections, headings and bubbles;
    each answer is the nearest match of that question's own search, from each element of the
    tree as the body (15 of them, 4 on a big tree), with the response heading's accept test too;
    also where the comment container search asked its rings first (the count reads them)."""
    doc = load_document(body)
    elements = list(doc.root.iter("*"))
    questions = (
        (comments._is_section, comments._SECTIONS, None),
        (comments._is_heading, comments._HEADINGS, None),
        (comments._is_bubble, comments._BUBBLES, None),
        (comments._is_heading, comments._HEADINGS, lambda h: "2" in h.text_content()),
    )
    samples = 15 if len(elements) < _BIG_TREE else 4  # a big thread's rings cost seconds
    found = 0
    for element in elements[:: max(1, len(elements) // samples)]:
        near = BodyNeighbourhood(element)
        around = comments._AroundBody(near)
        # As parse_page asks: the container search first, whose whole rings the count reads.
        shared = BodyNeighbourhood(element)
        comment_thread.thread_container(element, shared)
        around_shared = comments._AroundBody(shared)
        for kind, query, accept in questions:
            expected = near.nearest(near.search(query, whole_page=False, accept=accept))
            assert around.nearest(kind, accept=accept) is expected, (name, query.expression)
            assert around_shared.nearest(kind, accept=accept) is expected, name
            found += expected is not None
    if name.startswith("comment-thread"):
        assert found


def test_the_container_search_keeps_whole_rings_for_the_count() -> None:
    """The shared rings are in use: on pages and body positions without a container id near
    the body, the container search keeps its rings' answer on the neighbourhood."""
    kept = 0
    for _, _, body in _thread_pages():
        elements = list(load_document(body).root.iter("*"))
        for element in elements[:: max(1, len(elements) // 15)]:
            near = BodyNeighbourhood(element)
            comment_thread.thread_container(element, near)
            kept += near.kept_ring(comments.COMMENT_EVIDENCE, 0) is not None
    assert kept


def test_a_search_outside_the_ancestors_levels_reaches_the_whole_page() -> None:
    doc = load_document(
        b"<html><body><h1 class='post-title'>T</h1><div><div><div id='b'><p>x</p>"
        b"<h1 class='post-title'>inside</h1></div></div><p>after</p></div></body></html>"
    )
    body = doc.root.get_element_by_id("b")
    near = BodyNeighbourhood(body)
    query = Elements(".//h1[contains(@class, 'post-title')]")
    for levels in ((1,), (1, 3), (2, 5), ()):
        for whole_page in (True, False):
            found = near.search(query, levels=levels, whole_page=whole_page)
            assert found == _reference_search(near, query, levels=levels, whole_page=whole_page)
    assert [h.text for h in near.search(query)] == ["T"]


@pytest.mark.parametrize(
    "expression",
    [
        ".//div[.//h1]",
        "./div/h1 | .//h1",
        "(.//h1|.//p)[1]",
        ".//*[position() < 3]",
        ".//h1[contains(@class, '[x]')]",
    ],
)
def test_queries_the_rings_cannot_split_are_searched_whole(expression: str) -> None:
    doc = load_document(
        b"<html><body><div><h1 class='[x]'>T</h1><p>a</p></div><div><div><div id='b'>"
        b"<p>x</p><h1>in</h1></div><p>after</p></div><h1>near</h1></div></body></html>"
    )
    near = BodyNeighbourhood(doc.root.get_element_by_id("b"))
    query = Elements(expression)
    for levels in ((1,), (1, 3), ()):
        for whole_page in (True, False):
            found = near.search(query, levels=levels, whole_page=whole_page)
            assert found == _reference_search(near, query, levels=levels, whole_page=whole_page)
    assert (ring_query(expression) is None) is not expression.startswith(".//h1[contains")


def test_the_tree_gives_html_elements_for_form_controls_too() -> None:
    doc = load_document(
        b"<html><body><form><input value='v'><select></select></form></body></html>"
    )
    kinds = {type(element) for element in doc.root.iter()}
    assert kinds == {lxml.html.HtmlElement}
    assert doc.root.text_content() == ""


def _digest(page: StressPage) -> str:
    post = parse_and_clean(page.url, page.body)
    facts = [post.title, post.body_paragraphs, post.comment_count]
    return hashlib.sha256(json.dumps(facts, ensure_ascii=False).encode("utf-8")).hexdigest()


def _stress_digests() -> dict[str, str]:
    digests: dict[str, str] = {}
    for seed, scale in STRESS_SETS:
        for page in stress_pages(seed=seed, scale=scale):
            digests[f"{seed}/{scale}/{page.name}"] = _digest(page)
    return digests


def test_stress_pages_parse_as_the_plain_implementation_parsed_them() -> None:
    expected = json.loads(DIGESTS.read_text("utf-8"))
    got = _stress_digests()
    assert got.keys() == expected.keys()
    assert [name for name in got if got[name] != expected[name]] == []


if __name__ == "__main__":
    DIGESTS.write_text(json.dumps(_stress_digests(), indent=1, sort_keys=True) + "\n", "utf-8")


@pytest.mark.parametrize(
    ("expression", "ringable"),
    [
        (".//*/@class[contains(., 'x')]/..", True),
        (".//*/@*[contains(., 'x') and name() = 'id']/parent::*[self::h1]", True),
        (".//h1 | .//*/@id[. = 'x']/parent::p", True),
        (".//a/..", False),  # an element's parent may be outside the subtree searched
        (".//*/@class", False),  # attributes, not elements
        (".//*/@class/../..", False),
    ],
)
def test_attribute_steps_back_to_their_element_are_searched_in_rings(
    expression: str, ringable: bool
) -> None:
    doc = load_document(
        b"<html><body><div><h1 class='x' id='x'>T</h1><p id='x'>a</p></div><div><div>"
        b"<div id='b' class='x'><p class='x'>in</p><h1 id='x'>in</h1></div><p id='x'>after</p>"
        b"</div><h1 class='y x'>near</h1></div></body></html>"
    )
    near = BodyNeighbourhood(doc.root.get_element_by_id("b"))
    assert (ring_query(expression) is not None) is ringable
    if expression.endswith("@class"):
        return
    query = Elements(expression)
    for levels in ((1,), (1, 3), (2,), ()):
        for whole_page in (True, False):
            found = near.search(query, levels=levels, whole_page=whole_page)
            assert found == _reference_search(near, query, levels=levels, whole_page=whole_page)


_FIRST_RING_PAGES = {name: (url, body) for name, url, body in _pages() + _thread_pages()}


@pytest.mark.parametrize(("name"), sorted(_FIRST_RING_PAGES))
def test_the_first_ring_walk_answers_what_each_query_finds_in_that_ring(name: str) -> None:
    """The answers the walk of the body's siblings keeps (title headings, comment evidence)
    are the first ring's search's, from each element of the tree as the body; none is kept
    where a sibling is a box of other items (the walk passes over it)."""
    _, body = _FIRST_RING_PAGES[name]
    elements = list(load_document(body).root.iter("*"))
    samples = 40 if len(elements) < _BIG_TREE else 8
    queries = [query for query, _ in around._FIRST_RING_QUERIES]
    assert {query.expression for query in queries} >= {comments.COMMENT_EVIDENCE.expression}
    for element in elements[:: max(1, len(elements) // samples)]:
        walked = BodyNeighbourhood(element)
        around.walk_first_ring(walked)
        plain = BodyNeighbourhood(element)
        for query in queries:
            kept = walked.kept_ring(query, 0)
            if kept is not None:
                assert kept == plain.ring_matches(query, 0), (name, query.expression)


def test_the_first_ring_walk_keeps_nothing_beside_a_box_of_other_items() -> None:
    doc = load_document(
        b"<html><body><div><div><div id='b'><p>x</p></div><h3 class='post-title'>T</h3>"
        b"<div class='comments'><h4>2 comments</h4></div></div></div></body></html>"
    )
    walked = BodyNeighbourhood(doc.root.get_element_by_id("b"))
    around.walk_first_ring(walked)
    assert walked.kept_ring(comments.COMMENT_EVIDENCE, 0) is None
    assert [e.tag for e in walked.ring_matches(comments.COMMENT_EVIDENCE, 0) or []] == [
        "h3",
        "div",
        "h4",
    ]


_RING_TAGS = st.sampled_from(["h1", "h2", "h3", "h4", "h5", "h6", "div", "span", "a", "time"])
_RING_ATTRIBUTES = st.sampled_from(
    [" class='post-title'", " class='entry-title x'", " class='pTtl'", " class='a\tpTtl'",
     " class='pTtlx'", " class='comments'", " class='post-comment-link'", " id='comment-form'",
     " id='Comments'", " itemprop='name'", " itemprop='headline'", " itemprop='names'",
     " data-num-comments='3'", " data-num-comments=''", " rel='tag'", " class='title'",
     " href='/p.html#comments'", " href='#commentsx'", " class='comment-linkx'", ""]
)  # fmt: skip


@st.composite
def _ring_markup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3 if depth < 3 else 0))):
        tag, attributes = draw(_RING_TAGS), draw(st.lists(_RING_ATTRIBUTES, max_size=2))
        inner = draw(_ring_markup(depth + 1))
        parts.append(f"<{tag}{''.join(dict.fromkeys(attributes))}>t{inner}</{tag}>")
    return "".join(parts)


@given(_ring_markup(), _ring_markup())
def test_the_first_ring_walk_answers_generated_siblings_as_the_queries_do(
    before: str, after: str
) -> None:
    page = (
        f"<html><body><div><div>{before}<div id='b'><p>x</p></div>{after}</div></div></body></html>"
    )
    doc = load_document(page.encode())
    body = doc.root.get_element_by_id("b")
    walked, plain = BodyNeighbourhood(body), BodyNeighbourhood(body)
    around.walk_first_ring(walked)
    for query, _ in around._FIRST_RING_QUERIES:
        kept = walked.kept_ring(query, 0)
        if kept is not None:
            assert kept == plain.ring_matches(query, 0), query.expression


@pytest.mark.parametrize(
    ("name", "url", "body"), _thread_pages(), ids=[n for n, _, _ in _thread_pages()]
)
def test_rings_asked_together_are_the_rings_asked_one_by_one(
    name: str, url: str, body: bytes
) -> None:
    """BodyNeighbourhood.ring_matches with ``with_rest`` (the container search passing over a
    ring asks the rest by one call) keeps for every later ring what asking it alone finds,
    from each element of the tree as the body (ancestors split from the siblings' subtrees)."""
    doc = load_document(body)
    elements = list(doc.root.iter("*"))
    samples = 15 if len(elements) < _BIG_TREE else 4
    compared = 0
    for element in elements[:: max(1, len(elements) // samples)]:
        together, alone = BodyNeighbourhood(element), BodyNeighbourhood(element)
        for index in range(1, len(NEIGHBOURHOOD_LEVELS)):
            expected = alone.ring_matches(comments.COMMENT_EVIDENCE, index)
            found = together.ring_matches(comments.COMMENT_EVIDENCE, index, with_rest=True)
            assert found == expected, (name, index)
            compared += bool(expected)
    assert compared or len(elements) < 50, name


_NO_LINE = re.compile("\nnever")


def test_the_id_lookups_are_skipped_only_where_the_page_files_no_such_id() -> None:
    """The container and section lookups by id (shared by the container search and the count)
    find what the plain lookups find, with the page's ids read or not; every name they look
    up starts with the prefix the skip tests."""
    assert all(comments.ID_LINE.match(f"\n{name}") for name in comments.CONTAINER_IDS)
    lookups = (comment_thread._CONTAINER_IDS, comments._SECTION_IDS)
    skipped = looked_up = 0
    for _, url, body in _thread_pages():
        with contextlib.suppress(NotAPostError, UnreadablePageError):
            facts = read_page_facts(url, body)
            root = facts.doc.root
            ids = "\n" + "\n".join(element_ids(root))
            for page_ids in (ids, None):
                near = BodyNeighbourhood(root, page_ids=page_ids)
                for query in lookups:
                    assert near.filed(query, comments.ID_LINE) == query(root), url
                    assert near.filed(query, comments.ID_LINE) is near.filed(query, _NO_LINE)
            if comments.ID_LINE.search(ids):
                looked_up += 1
            else:
                skipped += 1
    assert skipped
    assert looked_up


@pytest.mark.parametrize(
    ("name", "url", "body"), _thread_pages(), ids=[n for n, _, _ in _thread_pages()]
)
def test_the_linked_count_reads_the_first_ring_walks_links_as_its_own_search(
    name: str, url: str, body: bytes
) -> None:
    """comments._linked_count takes the first ring's comment links from the walk of the body's
    siblings when it kept them; the same count as searching every sibling beside the body,
    for every section the count may be given (each one the page has, from each element of the
    tree as the body), a section among the body's siblings included."""
    doc = load_document(body)
    elements = list(doc.root.iter("*"))
    samples = 20 if len(elements) < _BIG_TREE else 4
    sections = comments._SECTIONS(doc.root) + comments._SECTION_IDS(doc.root)
    walked_once = 0
    for element in elements[:: max(1, len(elements) // samples)]:
        bodies = [element]
        bodies += [child for child in element.iterchildren("*")][:2]
        for body_element in bodies:
            for section in sections or [doc.root]:
                walked = BodyNeighbourhood(body_element, walk_first_ring=around.walk_first_ring)
                walked.ring_matches(comments.COMMENT_EVIDENCE, 0)  # the walk, as the title asks
                plain = BodyNeighbourhood(body_element)
                expected = comments._linked_count(plain, section)
                assert comments._linked_count(walked, section) == expected, name
                walked_once += walked.kept_ring(comments._POST_COMMENT_LINKS_RING, 0) is not None
    assert walked_once


def test_the_linked_count_passes_over_a_section_beside_the_body() -> None:
    """A section among the body's siblings that the walk reads (not a box of other items by
    its class or id) gives none of its links to the count, read from the walk or searched."""
    doc = load_document(
        b"<html><body><div><div><div id='b'><p>x</p></div>"
        b"<div data-num-comments='x'><a href='/p#comments'>9 comments</a></div>"
        b"<span><a class='comment-link' href='/p#comment-form'>4 comments</a></span>"
        b"</div></div></body></html>"
    )
    body = doc.root.get_element_by_id("b")
    section = body.getnext()
    walked = BodyNeighbourhood(body, walk_first_ring=around.walk_first_ring)
    walked.ring_matches(comments.COMMENT_EVIDENCE, 0)
    assert walked.kept_ring(comments._POST_COMMENT_LINKS_RING, 0) is not None
    assert comments._linked_count(walked, section) == 4
    assert comments._linked_count(BodyNeighbourhood(body), section) == 4


@pytest.mark.parametrize(
    ("name", "url", "body"), _thread_pages(), ids=[n for n, _, _ in _thread_pages()]
)
def test_the_comment_families_given_what_the_reader_found_find_what_they_find_alone(
    name: str, url: str, body: bytes
) -> None:
    """find_comments with the container's items and terms handed over, and the id families
    passed over where the page's ids hold no ``c`` and digits, finds what it finds alone, for
    every container the page has (the thread's and every element holding the word)."""
    with contextlib.suppress(NotAPostError, UnreadablePageError):
        facts = read_page_facts(url, body)
        root = facts.doc.root
        ids = "\n" + "\n".join(element_ids(root))
        comment_ids = BodyNeighbourhood(root, page_ids=ids).may_file(comment_markup.COMMENT_ID_LINE)
        containers = comment_thread._CONTAINERS(root)[:12] + comment_thread._CONTAINER_IDS(root)
        for container in containers:
            items = comment_markup.thread_items(container)
            terms = comment_markup.definition_terms(container)
            for shown in (None, 3, 500):
                alone = comment_markup.find_comments(container, shown)
                given = comment_markup.find_comments(
                    container, shown, items=items, terms=terms, comment_ids=comment_ids
                )
                assert given == alone, (name, container.get("id"), shown)


def test_a_small_subtree_without_a_passing_element_is_known_to_hold_no_match() -> None:
    def named(element: HtmlElement) -> bool:
        return "comment" in (element.get("class") or "")

    small = lxml.html.fragment_fromstring("<div><p>a <a href='#'>b</a></p><span>c</span></div>")
    holding = lxml.html.fragment_fromstring("<div><p class='comments'>a</p></div>")
    # One element more than is looked at one by one: its query decides, whatever it holds.
    big = lxml.html.fragment_fromstring("<div>" + "<i>x</i>" * _SMALL_SUBTREE + "</div>")
    assert _holds_none_passing(small, named)
    assert not _holds_none_passing(holding, named)
    assert not _holds_none_passing(big, named)
