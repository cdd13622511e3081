"""Third-party templates (Plus UI, "SEO"/magazine templates, Tungsten, Beauty, Frameify ...).

Free-form markup, so several markers are accepted, most specific first: Plus UI's
``#postBody`` / ``div.postBody``, a bare ``div.post-body``, any ``[itemprop~=articleBody]``
(one Google template misspells it ``articlesBody``), then ``div.entry-content``.
"""

from __future__ import annotations

from crawler.parsing.themes.base import PageFacts, PostLocation, choose_body, has_class
from crawler.parsing.xpath import Elements

NAME = "blogger-third-party"

_BODY_XPATHS = tuple(
    Elements(xpath)
    for xpath in (
        "//*[@id='postBody'] | //div[" + has_class("postBody") + "]",
        "//div[" + has_class("post-body") + "][not(starts-with(@id, 'post-snippet-'))]",
        "//*[contains(@itemprop, 'rticleBody') or contains(@itemprop, 'rticlesBody')]",
        "//div[" + has_class("entry-content") + "]",
    )
)


def locate(facts: PageFacts) -> PostLocation | None:
    """Return the body of the first marker present; None if none is."""
    for xpath in _BODY_XPATHS:
        location = choose_body(NAME, xpath(facts.root), facts.ids.post_id)
        if location is not None:
            return location
    return None
