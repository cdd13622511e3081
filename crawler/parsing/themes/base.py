"""What theme extractors receive and return, and the body choice they share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml.html import HtmlElement

from crawler.parsing.document import Document
from crawler.parsing.ids import BloggerIds
from crawler.parsing.jsonld import JsonLdPost
from crawler.parsing.xpath import Elements


def has_class(name: str) -> str:
    """Return an XPath predicate true when ``@class`` holds the token ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


_META_DYNAMIC = Elements("//meta[@name='blogger-template'][@content='dynamic']")


@dataclass(frozen=True, slots=True)
class PageFacts:
    """The parsed page and what it says about itself, shared by all extractors."""

    doc: Document
    ids: BloggerIds
    jsonld: JsonLdPost | None

    @property
    def root(self) -> HtmlElement:
        """The document's root element."""
        return self.doc.root

    @property
    def has_widgets(self) -> bool:
        """Whether Blogger's widget manager (Layouts and later templates) wrote the page."""
        return self.ids.page_type is not None

    @property
    def is_dynamic_views(self) -> bool:
        """Whether the page declares a Dynamic Views template (content loaded by JS)."""
        return bool(_META_DYNAMIC(self.root))


@dataclass(frozen=True, slots=True)
class PostLocation:
    """Where a family found the post on the page."""

    extractor: str
    """The family's ``NAME``."""

    body: HtmlElement
    """The element whose content is the post body."""

    body_count: int = 1
    """How many separate post bodies of this kind the page holds (more than one = listing)."""

    author_hint: str | None = None
    """An author the body itself names (in-body bylines of corporate blogs), if any."""


def outermost(elements: Sequence[HtmlElement]) -> list[HtmlElement]:
    """Drop the elements nested inside another element of ``elements``; keep page order."""
    chosen = set(elements)
    return [e for e in elements if not any(a in chosen for a in e.iterancestors())]


def choose_body(
    name: str, candidates: Sequence[HtmlElement], post_id: str | None
) -> PostLocation | None:
    """Pick the body among ``candidates``: the one named ``post-body-POSTID``, else the first.

    Returns None when there is no candidate. ``body_count`` is the number of outermost ones.
    """
    bodies = outermost(candidates)
    if not bodies:
        return None
    wanted = f"post-body-{post_id}" if post_id else None
    body = next((b for b in bodies if wanted and b.get("id") == wanted), bodies[0])
    return PostLocation(extractor=name, body=body, body_count=len(bodies))
