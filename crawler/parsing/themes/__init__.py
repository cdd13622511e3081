"""Theme families: each module recognises one family of Blogger templates and finds its body.

Every module exposes ``NAME`` (the ``extractor`` recorded on the post) and
``locate(facts) -> PostLocation | None``; ``None`` means "not this family, or no body
found". :func:`locate_post` tries them from the most specific markup to the generic fallback:
Dynamic Views overlay, 2017 themes, Layouts themes (both found by Blogger's
``#post-body-POSTID`` ids, the cheapest evidence), Google's corporate template, classic
pre-2006 templates, third-party templates, then the largest-text-block fallback.
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

FAMILIES: tuple[Locator, ...] = (
    dynamic.locate,
    v2017.locate,
    layouts.locate,
    corporate.locate,
    classic.locate,
    third_party.locate,
    generic.locate,
)

__all__ = ["FAMILIES", "PageFacts", "PostLocation", "locate_post"]


def locate_post(facts: PageFacts) -> PostLocation | None:
    """Return the body found by the first family that recognises the page, or None."""
    for locate in FAMILIES:
        location = locate(facts)
        if location is not None:
            return location
    return None
