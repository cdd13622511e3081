"""Third-party templates (Plus UI, "SEO"/magazine templates, Tungsten, Beauty, Frameify ...).

Free-form markup, so several markers are accepted, most specific first: Plus UI's
``#postBody`` / ``div.postBody``, a bare ``div.post-body``, any ``[itemprop~=articleBody]``
(one Google template misspells it ``articlesBody``), then ``div.entry-content``.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml.html import HtmlElement

from crawler.parsing.themes.base import PageFacts, PostLocation, choose_body

NAME = "blogger-third-party"


def _plus_ui_bodies(facts: PageFacts) -> list[HtmlElement]:
    by_id = facts.element_by_id("postBody")
    return [by_id] if by_id is not None else facts.with_class("postBody")


def _plain_post_bodies(facts: PageFacts) -> list[HtmlElement]:
    return [
        e
        for e in facts.with_class("post-body", divs_only=True)
        if not (e.get("id") or "").startswith("post-snippet-")
    ]


def _entry_contents(facts: PageFacts) -> list[HtmlElement]:
    return facts.with_class("entry-content", divs_only=True)


# Body markers, most specific first; the first one present on the page decides.
_MARKERS: tuple[Callable[[PageFacts], list[HtmlElement]], ...] = (
    _plus_ui_bodies,
    _plain_post_bodies,
    PageFacts.with_article_body,
    _entry_contents,
)


def locate(facts: PageFacts) -> PostLocation | None:
    """Return the body of the first marker present; None if none is."""
    for marker in _MARKERS:
        location = choose_body(NAME, marker(facts), facts.ids.post_id)
        if location is not None:
            return location
    return None
