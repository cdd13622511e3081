"""Classic Blogger templates (before 2006, ``<$BlogItemBody$>`` tags).

Recognised by the absence of Blogger's widget manager together with a ``div.post-body`` (or
the older ``div.blogPost``) holding the post text; titles are ``h3.post-title``, dates
``h2.date-header``, bylines ``p.post-footer`` ("posted by NAME at TIME"). Weekly and daily
archive pages of these templates show several such bodies, counted in ``body_count``.

A classic template is the blog owner's own markup around Blogger's tags, and may name no
body class at all. Blogger's ``<$BlogItemBody$>`` then still writes the post text between two
empty markers, ``<div style="clear:both;"></div>`` and ``<div style="clear:both;
padding-bottom:0.25em"></div>``: the nodes between such a pair (siblings, whatever ``<p>``
the owner put around the tag, which the parser closes at the first marker) are the body, and
the heading just before the first marker is the title. Blogger spelled the end marker's style
differently over the years (``clear:both; padding-bottom: 0.25em;`` on 2004-2006 pages): a
marker is known by its style's declarations, not by one spelling of them.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from crawler.parsing.metadata import squash
from crawler.parsing.themes.base import PageFacts, PostLocation, choose_body
from crawler.parsing.xpath import Elements

NAME = "blogger-classic"

# The two markers' styles as :func:`_declarations` writes them (Blogger's spellings vary in
# spaces and a closing semicolon: "clear:both; padding-bottom:0.25em" and "clear:both;
# padding-bottom: 0.25em;").
_START_STYLE = "clear:both"
_END_STYLE = "clear:both;padding-bottom:0.25em"
# Every end marker's raw bytes hold this (a cheap gate before any search): "0.25em" is the part
# no spelling changes, and a page without it has no marker pair.
_END_MARKER = b"0.25em"
# Every div whose style may be the start marker's; the empty ones of exactly that style are
# markers (_is_marker). An attribute step, tested before the element's children: a third of
# the cost of ``//div[...][not(node())]``.
_START_STYLED = Elements("//div/@style[starts-with(., 'clear')]/..")
_TITLE_TAGS = frozenset({"h1", "h2", "h3", "h4"})


def locate(facts: PageFacts) -> PostLocation | None:
    """Return the classic body; None if the page has widgets or no classic body."""
    if facts.has_widgets:
        return None
    bodies = [
        *facts.with_class("post-body", divs_only=True),
        *facts.with_class("blogPost", divs_only=True),
    ]
    return choose_body(NAME, bodies, None) or _marked_body(facts)


def _marked_body(facts: PageFacts) -> PostLocation | None:
    """Return the body between the first pair of ``<$BlogItemBody$>`` markers; None if none.

    ``body_count`` counts the pairs (an archive page of the template shows one a post).
    """
    if not facts.mentions(_END_MARKER):
        return None
    pairs = [
        (start, end)
        for start in _START_STYLED(facts.root)
        if _is_marker(start, _START_STYLE) and (end := _end_of(start)) is not None
    ]
    if not pairs:
        return None
    start, end = pairs[0]
    return PostLocation(
        extractor=NAME,
        body=start,
        body_count=len(pairs),
        body_end=end,
        title_hint=_heading_before(start),
    )


def _declarations(style: str | None) -> str | None:
    """Return ``style`` without its whitespace and closing semicolons (None: None).

    Two spellings of the same declarations give the same string (Blogger writes them in lower
    case, as :data:`_START_STYLED` and :data:`_END_MARKER` read them).
    """
    if style is None:
        return None
    return "".join(style.split()).rstrip(";")


def _is_marker(element: HtmlElement, style: str) -> bool:
    """Whether ``element`` is a marker: an empty ``div`` (no child node) whose style is ``style``.

    ``style`` as :func:`_declarations` writes it.
    """
    return (
        element.tag == "div"
        and not len(element)
        and not element.text
        and _declarations(element.get("style")) == style
    )


def _end_of(start: HtmlElement) -> HtmlElement | None:
    """Return the end marker that closes the body ``start`` opens (a later sibling), or None.

    None also when another start marker comes first: a marker without its pair is not taken.
    """
    for sibling in start.itersiblings():
        if _is_marker(sibling, _END_STYLE):
            return sibling
        if _is_marker(sibling, _START_STYLE):
            return None
    return None


def _heading_before(start: HtmlElement) -> str | None:
    """Return the text of the nearest heading among the siblings before ``start``, if any.

    Only back to the previous post's end marker: a heading before that is another post's.
    Squashed as the title search squashes a heading's text.
    """
    for sibling in start.itersiblings(preceding=True):
        if _is_marker(sibling, _END_STYLE):
            return None
        if sibling.tag in _TITLE_TAGS and (title := squash(sibling.text_content())):
            return title
    return None
