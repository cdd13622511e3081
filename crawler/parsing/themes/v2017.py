"""Blogger's 2017 themes: Contempo, Soho, Emporio, Notable, Essential.

Recognised by the ``div.widget.Blog[data-version='2']`` widget or the theme's body classes
(``post-body entry-content float-container`` in Contempo/Soho/Essential,
``post-body entry-content container`` in Notable). The body is
``div.post-body.entry-content#post-body-POSTID``; listings render
``#post-snippet-POSTID`` snippets instead, which are never taken as bodies. These themes add
a JSON-LD ``BlogPosting`` and ``section.comments[data-num-comments]``, read elsewhere.
"""

from __future__ import annotations

from crawler.parsing.themes.base import PageFacts, PostLocation, choose_body, has_class
from crawler.parsing.xpath import Elements

NAME = "blogger-2017"

_MARKER = Elements(
    "//div[" + has_class("Blog") + "][@data-version='2']"
    " | //div[" + has_class("post-body") + "][" + has_class("float-container") + "]"
)
_BODIES = Elements(
    "//div[" + has_class("post-body") + "][" + has_class("entry-content") + "]"
    "[not(starts-with(@id, 'post-snippet-'))]"
)


def locate(facts: PageFacts) -> PostLocation | None:
    """Return the 2017-theme body; None if the page is not a 2017 theme or has no body."""
    if not _MARKER(facts.root):
        return None
    return choose_body(NAME, _BODIES(facts.root), facts.ids.post_id)
