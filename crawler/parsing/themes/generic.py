"""Fallback when no template markup is recognised: the largest block of paragraph text.

Only used when the page says it is a single post (Blogger ``pageType`` ``item``, a JSON-LD
``BlogPosting``/``Article``, or ``og:type=article``); otherwise a listing or error page
would be mistaken for a post. Candidates are the parents of ``<p>`` and ``<br>`` elements,
scored by the text of their paragraph children and their own text.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from crawler.parsing.themes.base import PageFacts, PostLocation
from crawler.parsing.xpath import Elements

NAME = "generic"

_CANDIDATES = Elements("//body//p/.. | //body//br/..")
_SKIP = frozenset({"nav", "header", "footer", "aside", "form", "ul", "ol", "li", "a"})


def _score(element: HtmlElement) -> float:
    own = sum(len(t.strip()) for t in element.xpath("text()"))
    paragraphs = sum(len(p.text_content().strip()) for p in element if p.tag == "p")
    return float(own + paragraphs)


def _says_single_post(facts: PageFacts) -> bool:
    return (
        facts.ids.page_type == "item" or facts.jsonld is not None or facts.head.og_type == "article"
    )


def locate(facts: PageFacts) -> PostLocation | None:
    """Return the largest text block of a page that says it is one post, else None."""
    if not _says_single_post(facts):
        return None
    candidates = [c for c in _CANDIDATES(facts.root) if c.tag not in _SKIP]
    if not candidates:
        return None
    best = max(candidates, key=_score)
    return PostLocation(extractor=NAME, body=best) if _score(best) > 0 else None
