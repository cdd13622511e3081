"""Google's corporate blog template (``*.googleblog.com``: Security, Android Developers ...).

Recognised by ``div.post-content[itemprop=articleBody]``. The post HTML sits there twice in
the page as served: inside ``<script type='text/template'>`` (rendered by JS) and inside
``<noscript>``; a re-serialised page has it once, rendered, in ``div.post-content.post-original``.
The text is taken once: from the ``<noscript>`` copy when there is one, else from the div
(whose scripts the body reader skips). The body opens with an in-body byline
(``span.byline-author`` or ``<em>Posted by ...</em>``), kept as the author hint.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from crawler.parsing.metadata import author_name, byline_person
from crawler.parsing.themes.base import PageFacts, PostLocation, has_token
from crawler.parsing.xpath import Elements, class_token

NAME = "blogger-corporate"

_TEMPLATE_SCRIPT = Elements("./script[@type='text/template']")
_NOSCRIPT = Elements("./noscript")
_BYLINE = Elements(
    "(.//*[" + class_token("byline-author") + "]"
    " | ./em[starts-with(normalize-space(), 'Posted by')]"
    " | ./p[1]/em[starts-with(normalize-space(), 'Posted by')])[1]"
)


def _byline_author(body: HtmlElement) -> str | None:
    bylines = _BYLINE(body)
    if not bylines:
        return None
    name = author_name(bylines[0].text_content())
    return byline_person(name) if name is not None else None


def _is_post_content(element: HtmlElement) -> bool:
    return (
        "articleBody" in (element.get("itemprop") or "")
        or has_token(element, "post-original")
        or bool(_TEMPLATE_SCRIPT(element))
    )


def locate(facts: PageFacts) -> PostLocation | None:
    """Return the corporate body (noscript copy first); None if the page is not this family."""
    contents = [
        e
        for e in facts.with_class("post-content", divs_only=True)
        if e.tag == "div" and _is_post_content(e)
    ]
    if not contents:
        return None
    content = contents[0]
    noscripts = _NOSCRIPT(content)
    body = noscripts[0] if noscripts and noscripts[0].text_content().strip() else content
    return PostLocation(
        extractor=NAME,
        body=body,
        body_count=len(contents),
        author_hint=_byline_author(body),
    )
