"""Classic Blogger templates (before 2006, ``<$BlogItemBody$>`` tags).

Recognised by the absence of Blogger's widget manager together with a ``div.post-body`` (or
the older ``div.blogPost``) holding the post text; titles are ``h3.post-title``, dates
``h2.date-header``, bylines ``p.post-footer`` ("posted by NAME at TIME"). Weekly and daily
archive pages of these templates show several such bodies, counted in ``body_count``.
"""

from __future__ import annotations

from crawler.parsing.themes.base import PageFacts, PostLocation, choose_body

NAME = "blogger-classic"


def locate(facts: PageFacts) -> PostLocation | None:
    """Return the classic body; None if the page has widgets or no classic body."""
    if facts.has_widgets:
        return None
    bodies = [
        *facts.with_class("post-body", divs_only=True),
        *facts.with_class("blogPost", divs_only=True),
    ]
    return choose_body(NAME, bodies, None)
