"""Theme families: each module recognises one family of Blogger templates and finds its body.

Every module exposes ``NAME`` (the ``extractor`` recorded on the post) and
``locate(facts) -> PostLocation | None``; ``None`` means "not this family, or no body
found". :func:`locate_post` tries them from the most specific markup to the generic fallback:
Dynamic Views overlay, 2017 themes, Layouts themes (both found by Blogger's
``#post-body-POSTID`` ids, the cheapest evidence), Google's corporate template, classic
pre-2006 templates, third-party templates, then the largest-text-block fallback.

On a page with Blogger's Blog widget (``div#Blog1``), which renders the post, the template
families look inside that widget first, and at the whole page only when none finds a body
there: a class search of a big template's whole page cost up to a sixth of the parse, where
the widget holds a small part of it; and a sidebar's copy of a post's markup (popular posts,
featured post) is not taken for the post.
"""

from __future__ import annotations

from collections.abc import Callable

from crawler.parsing.themes import (
    classic,
    corporate,
    dynamic,
    generic,
    layouts,
    third_party,
    v2017,
)
from crawler.parsing.themes.base import PageFacts, PostLocation

Locator = Callable[[PageFacts], PostLocation | None]

# The families that look for a template's markup, asked inside the Blog widget first.
_TEMPLATE_FAMILIES: tuple[Locator, ...] = (
    v2017.locate,
    layouts.locate,
    corporate.locate,
    classic.locate,
    third_party.locate,
)
FAMILIES: tuple[Locator, ...] = (dynamic.locate, *_TEMPLATE_FAMILIES, generic.locate)

__all__ = ["FAMILIES", "PageFacts", "PostLocation", "locate_post"]


def _first_found(families: tuple[Locator, ...], facts: PageFacts) -> PostLocation | None:
    for locate in families:
        location = locate(facts)
        if location is not None:
            return location
    return None


def locate_post(facts: PageFacts) -> PostLocation | None:
    """Return the body found by the first family that recognises the page, or None.

    The template families are asked inside the page's Blog widget first, when it has one.
    """
    widget = facts.post_widget()
    if widget is not None:
        found = _first_found(FAMILIES[:1], facts) or _first_found(
            _TEMPLATE_FAMILIES, facts.within(widget)
        )
        if found is not None:
            return found
        return _first_found(FAMILIES[1:], facts)
    return _first_found(FAMILIES, facts)
