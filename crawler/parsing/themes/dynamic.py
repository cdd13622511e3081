"""Dynamic Views (2011 "dynamic templates"): the post lives in an overlay, if anywhere.

Recognised by ``meta[name=blogger-template][content=dynamic]`` or the ``div.viewitem-panel``
overlay of a page saved after its scripts ran. The server response holds no post body at
all; a browser-saved page shows the open post in the overlay while the list behind it repeats
other posts (and this one) in full, so only the overlay's ``[itemprop=articleBody]`` counts.
"""

from __future__ import annotations

from crawler.parsing.themes.base import PageFacts, PostLocation
from crawler.parsing.xpath import Elements

NAME = "blogger-dynamic-views"

_PANEL = "viewitem-panel"
_PANEL_BYTES = _PANEL.encode()

# Attribute first: libxml2 tests an attribute's own string far more cheaply than an element
# predicate reading it (the first of 850 overlay elements: 185 -> 20 us); the same first
# element in page order.
_ARTICLE_BODY = Elements("(descendant::*/@itemprop[contains(., 'articleBody')]/..)[1]")
# The overlay's own article markup (``div.article-content.entry-content``) where the template
# carries no schema.org attributes.
_ENTRY_CONTENT = Elements(
    "(.//*[contains(concat(' ', normalize-space(@class), ' '), ' entry-content ')])[1]"
)


def _may_hold_overlay(facts: PageFacts) -> bool:
    """Whether the page may hold a ``div.viewitem-panel``, asked of every page first.

    A page whose head declares the template dynamic is searched (its bytes, once: cheaper
    there than the class values). A page with Blogger's ``#post-body-POSTID`` bodies or its
    Blog widget (``#Blog1``) is a Layouts or 2017 page or one built on them (the dynamic
    templates render neither, the overlay included): no overlay. Any other page is asked of
    its class values, which the families after this one read there anyway. A search of the
    bytes on every page cost a tenth of the parse.
    """
    if facts.is_dynamic_views:
        return facts.mentions(_PANEL_BYTES)
    if facts.post_body_elements() or facts.post_widget() is not None:
        return False
    return facts.mentions_class(_PANEL)


def locate(facts: PageFacts) -> PostLocation | None:
    """Return the overlay's body; None when the page is not Dynamic Views or has no body."""
    if not _may_hold_overlay(facts):
        return None
    for panel in facts.with_class(_PANEL, divs_only=True, mentioned=True):
        bodies = _ARTICLE_BODY(panel) or _ENTRY_CONTENT(panel)
        if bodies:
            return PostLocation(extractor=NAME, body=bodies[0])
    return None
