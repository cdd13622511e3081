"""Blogger "Layouts" themes (2006–2016) and customised variants of them.

Minima, Simple, Denim, Rounders, Awesome Inc., Watermark, Picture Window, Ethereal, Travel.

Recognised by the body markup Blogger's ``post`` includable writes:
``div.post-body.entry-content`` (``id='post-body-POSTID'`` and ``itemprop='articleBody'`` or
``'description articleBody'`` on newer renders) inside a ``div.post.hentry``. Pages from
these themes also carry ``_WidgetManager`` data (checked by the page-kind rules).
"""

from __future__ import annotations

from crawler.parsing.themes.base import PageFacts, PostLocation, blogger_bodies, choose_body

NAME = "blogger-layouts"


def locate(facts: PageFacts) -> PostLocation | None:
    """Return the Layouts body; None if the page has no ``div.post-body.entry-content``."""
    return choose_body(NAME, blogger_bodies(facts), facts.ids.post_id)
