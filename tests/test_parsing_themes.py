"""Each theme family's extractor, tested alone on the page of its own family."""

from __future__ import annotations

import pytest

from crawler.parsing import read_page_facts
from crawler.parsing.body import body_paragraphs
from crawler.parsing.themes import (
    PageFacts,
    classic,
    corporate,
    dynamic,
    generic,
    layouts,
    locate_post,
    third_party,
    v2017,
)
from tests.support.parsing_pages import fixture_bytes

FILE_URL = "file:///fixture.html"


def _facts(name: str) -> PageFacts:
    return read_page_facts(FILE_URL, fixture_bytes(name))


def _facts_of(html: str) -> PageFacts:
    return read_page_facts(FILE_URL, html.encode("utf-8"))


def test_layouts_family_finds_the_post_body_by_its_post_id() -> None:
    location = layouts.locate(_facts("minima.html"))
    assert location is not None
    assert location.body.get("id") == "post-body-6660001112223334445"
    assert location.extractor == "blogger-layouts"


def test_layouts_family_finds_a_body_without_id_by_its_classes() -> None:
    facts = _facts_of(
        "<html><body><div class='post-body entry-content'><p>Only text.</p></div></body></html>"
    )
    location = layouts.locate(facts)
    assert location is not None
    assert body_paragraphs(location.body) == ["Only text."]


def test_layouts_family_ignores_listing_snippets() -> None:
    facts = _facts_of(
        "<html><body><div class='post-body entry-content' id='post-snippet-1'>Snip</div>"
        "</body></html>"
    )
    assert layouts.locate(facts) is None


def test_2017_family_recognises_the_version_2_blog_widget() -> None:
    location = v2017.locate(_facts("contempo.html"))
    assert location is not None
    assert "float-container" in (location.body.get("class") or "")


def test_2017_family_recognises_notable_container_bodies() -> None:
    location = v2017.locate(_facts("notable.html"))
    assert location is not None
    assert location.extractor == "blogger-2017"


def test_2017_family_declines_a_layouts_page() -> None:
    assert v2017.locate(_facts("minima.html")) is None


def test_classic_family_takes_the_post_body_of_a_page_without_widgets() -> None:
    location = classic.locate(_facts("classic.html"))
    assert location is not None
    assert body_paragraphs(location.body)[0].startswith("The fog came in before dawn")


def test_classic_family_declines_pages_written_by_the_widget_manager() -> None:
    assert classic.locate(_facts("minima.html")) is None


def test_corporate_family_reads_the_noscript_copy_once_and_keeps_the_byline_as_author() -> None:
    location = corporate.locate(_facts("corporate.html"))
    assert location is not None
    assert location.body.tag == "noscript"
    paragraphs = body_paragraphs(location.body)
    assert paragraphs.count("Builds got slow. We made them fast again.") == 1
    assert location.author_hint == "Priya Raman and Tom Beck"


def test_corporate_family_reads_a_rendered_post_original_div() -> None:
    facts = _facts_of(
        "<html><body><div class='post-content post-original' itemprop='articleBody'>"
        "<em>Posted by Dave Smith, Developer Advocate</em><p>Hello IoT.</p></div></body></html>"
    )
    location = corporate.locate(facts)
    assert location is not None
    assert location.author_hint == "Dave Smith"
    assert body_paragraphs(location.body)[-1] == "Hello IoT."


def test_third_party_family_prefers_plus_ui_post_body_id() -> None:
    location = third_party.locate(_facts("plus_ui.html"))
    assert location is not None
    assert location.body.get("id") == "postBody"


def test_third_party_family_accepts_a_misspelt_articles_body_itemprop() -> None:
    facts = _facts_of(
        "<html><body><div itemprop='articlesBody'><p>Patch sizes.</p></div></body></html>"
    )
    location = third_party.locate(facts)
    assert location is not None
    assert body_paragraphs(location.body) == ["Patch sizes."]


def test_dynamic_views_family_takes_the_open_overlay_not_the_list_behind_it() -> None:
    facts = _facts_of(
        "<html><body><ol id='items'><li><div itemprop='articleBody'>List copy</div></li></ol>"
        "<div class='viewitem-panel'><h1 class='title entry-title'>Open post</h1>"
        "<div itemprop='articleBody'>Overlay text</div></div></body></html>"
    )
    location = dynamic.locate(facts)
    assert location is not None
    assert body_paragraphs(location.body) == ["Overlay text"]


def test_dynamic_views_family_finds_nothing_in_a_server_shell() -> None:
    html = fixture_bytes("dynamic_shell.html").replace(b"'pageType': 'item'", b"'x': 'y'")
    assert dynamic.locate(read_page_facts(FILE_URL, html)) is None


def test_generic_fallback_takes_the_largest_text_block_of_a_declared_post() -> None:
    facts = _facts_of(
        "<html><head><meta property='og:type' content='article'/></head><body>"
        "<div class='nav'><p>Home</p></div>"
        "<div class='story'><p>First long paragraph of the story.</p><p>Second one.</p></div>"
        "</body></html>"
    )
    location = generic.locate(facts)
    assert location is not None
    assert body_paragraphs(location.body) == ["First long paragraph of the story.", "Second one."]


def test_generic_fallback_refuses_pages_that_do_not_say_they_are_a_post() -> None:
    facts = _facts_of("<html><body><div><p>Some text here.</p></div></body></html>")
    assert generic.locate(facts) is None


@pytest.mark.parametrize(
    ("name", "extractor"),
    [
        ("classic.html", "blogger-classic"),
        ("minima.html", "blogger-layouts"),
        ("simple.html", "blogger-layouts"),
        ("contempo.html", "blogger-2017"),
        ("corporate.html", "blogger-corporate"),
        ("plus_ui.html", "blogger-third-party"),
    ],
)
def test_the_cascade_picks_the_most_specific_family(name: str, extractor: str) -> None:
    location = locate_post(_facts(name))
    assert location is not None
    assert location.extractor == extractor
