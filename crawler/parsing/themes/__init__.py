"""Theme families: each module recognises one family of Blogger templates and finds its body.

Every module exposes ``NAME`` (the ``extractor`` recorded on the post) and
``locate(facts) -> PostLocation | None``; ``None`` means "not this family, or no body
found". :func:`locate_post` tries them from the most specific markup to the generic fallback:
Dynamic Views overlay, Google's corporate template, 2017 themes, Layouts themes, classic
pre-2006 templates, third-party templates, then the largest-text-block fallback.
"""

from __future__ import annotations

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

FAMILIES = (dynamic, corporate, v2017, layouts, classic, third_party, generic)

__all__ = ["FAMILIES", "PageFacts", "PostLocation", "locate_post"]


def locate_post(facts: PageFacts) -> PostLocation | None:
    """Return the body found by the first family that recognises the page, or None."""
    for family in FAMILIES:
        location = family.locate(facts)
        if location is not None:
            return location
    return None
