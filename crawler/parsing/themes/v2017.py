"""Blogger's 2017 themes: Contempo, Soho, Emporio, Notable, Essential.

Recognised by the ``div.widget.Blog[data-version='2']`` widget or the theme's body classes
(``post-body entry-content float-container`` in Contempo/Soho/Essential,
``post-body entry-content container`` in Notable). The body is
``div.post-body.entry-content#post-body-POSTID``; listings render
``#post-snippet-POSTID`` snippets instead, which are never taken as bodies. These themes add
a JSON-LD ``BlogPosting`` and ``section.comments[data-num-comments]``, read elsewhere.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from crawler.parsing.byte_search import LiteralLed
from crawler.parsing.themes.base import (
    PageFacts,
    PostLocation,
    blogger_bodies,
    choose_body,
    has_token,
)

NAME = "blogger-2017"

# The Blog widget of the 2017 themes is written as class='widget Blog' data-version='2'.
_BLOG_WIDGET_V2 = LiteralLed(rb"""widget Blog['"][^>]*data-version=['"]2['"]""", b"widget Blog")


def _holding_blog_widget(body: HtmlElement) -> HtmlElement | None:
    """Return the ``div.widget.Blog`` that holds ``body``, if one does."""
    for ancestor in body.iterancestors("div"):
        tokens = (ancestor.get("class") or "").split()
        if "widget" in tokens and "Blog" in tokens:
            return ancestor
    return None


def _is_2017_theme(facts: PageFacts, bodies: list[HtmlElement]) -> bool:
    """Whether the page with Blogger ``bodies`` is a 2017 theme's.

    By the bodies' own classes, else by the version of the Blog widget that holds the first
    body (Layouts themes write ``data-version='1'`` there), else, when no Blog widget holds
    it (markup a template or the parse moved), by the v2 widget anywhere in the bytes. The
    widget was first looked for in the bytes only: a search of the whole page on every
    Layouts page (a tenth of the parse), where the body's ancestors answer in microseconds.
    """
    if any(has_token(body, "float-container") for body in bodies):
        return True
    widget = _holding_blog_widget(bodies[0])
    if widget is not None:
        return bool(widget.get("data-version") == "2")
    return _BLOG_WIDGET_V2.search(facts.doc.body) is not None


def locate(facts: PageFacts) -> PostLocation | None:
    """Return the 2017-theme body; None if the page is not a 2017 theme or has no body."""
    bodies = blogger_bodies(facts)
    # Without a Blogger body there is nothing to return whatever the theme: the theme test
    # (a search of the whole page's bytes) is spared on every page of the other families.
    if not bodies or not _is_2017_theme(facts, bodies):
        return None
    return choose_body(NAME, bodies, facts.ids.post_id)
