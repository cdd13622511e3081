"""Whether lxml built the whole page: its limits, a cut tree, and trees too deep to walk.

libxml2 stops building a tree at its resource limits (a text node or attribute over 10 MB, such
as a big ``data:`` image; nesting over 256 levels, or 2048 with ``huge_tree``) and at bytes its
decoder cannot read. It then returns what it has so far, with exit status "fine": a body cut
in the middle. Each such stop is a FATAL entry in the parser's error log (libxml2 halts the
parser on every fatal error), so the log is the evidence that the tree holds less than the
bytes: :func:`cut_reason` turns it into a one-line reason.

Two further safety nets for old Blogger posts:

* Pasted Word HTML leaves hundreds or thousands of ``<font>`` tags unclosed, each nesting the
  rest of the post one level deeper. ``<font>`` only styles text, so :func:`without_font_tags`
  removes them from the bytes before a second parse when the first was cut too deep.
* Walking a tree recurses once or twice per level. A tree deeper than :data:`MAX_WALK_DEPTH`
  first loses its anonymous inline formatting elements (no class, id, itemprop or rel; their
  text and children stay in place, so no word moves), and if it is still that deep it is
  refused (:func:`flatten_or_refuse`).
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

MAX_WALK_DEPTH = 320
"""Deepest element (levels from ``<html>``) handed to the extractors, which recurse per level.

Real Blogger pages nest about 30 levels and old ones past libxml2's default 256; the body walk
takes two frames a level and failed near 480 levels with Python's default recursion limit of
1,000, so 320 keeps a margin for the frames of any caller (Scrapy's pipeline stack)."""

TOO_DEEP = "nested too deeply to parse"
TOO_LARGE = "a text or attribute too large to parse"
LIFTED_BY_HUGE_TREE = frozenset({TOO_DEEP, TOO_LARGE})
"""Cut reasons a parse with ``huge_tree`` may get past (its limits are 1 GB and 2048 levels)."""

# Formatting-only elements: unwrapping them changes neither the text nor the paragraphs.
_INLINE_FORMATTING = (
    "font",
    "span",
    "b",
    "i",
    "u",
    "s",
    "em",
    "strong",
    "small",
    "big",
    "strike",
    "sub",
    "sup",
    "tt",
    "o:p",
)
_NAMING_ATTRIBUTES = ("class", "id", "itemprop", "rel")
_FONT_TAG = re.compile(rb"</?font\b[^>]*>", re.IGNORECASE)
_DEEPER_THAN_WALK = etree.XPath(
    "boolean(/" + "/".join(["*"] * (MAX_WALK_DEPTH + 1)) + ")", regexp=False
)
# A FATAL message (libxml2's wording) → the reason the page is rejected with.
_LIMIT_REASONS = (
    ("Excessive depth", TOO_DEEP),
    ("Buffer size limit", TOO_LARGE),
    ("huge text node", TOO_LARGE),
    ("too long", TOO_LARGE),
    ("Huge input lookup", TOO_LARGE),
    ("Invalid bytes in character encoding", "bytes the page's encoding cannot read"),
    ("Memory allocation failed", "too large to parse"),
)


def cut_reason(parser: lxml.html.HTMLParser) -> str | None:
    """Return why ``parser``'s last parse stopped before the end of its bytes, or None.

    Only FATAL errors stop libxml2's HTML parser; the many ERROR entries of ordinary pages
    (unknown tags, stray end tags) do not lose content.
    """
    for error in parser.error_log.filter_from_fatals():
        for marker, reason in _LIMIT_REASONS:
            if marker in error.message:
                return reason
        first_line = (error.message.strip().splitlines() or ["unknown error"])[0]
        return f"parsing stopped before the end of the page ({first_line})"
    return None


def without_font_tags(body: bytes) -> bytes | None:
    """Return ``body`` without ``<font>``/``</font>`` tags, or None when it has none."""
    stripped = _FONT_TAG.sub(b"", body)
    return None if len(stripped) == len(body) else stripped


def flatten_or_refuse(root: lxml.html.HtmlElement) -> str | None:
    """Make ``root`` at most :data:`MAX_WALK_DEPTH` deep, or return :data:`TOO_DEEP`.

    For trees built with ``huge_tree`` (a default parse stops at 256 levels, below the bound).
    Costs one C-level XPath test; only a deep tree is walked, once per element, no recursion.
    """
    if not _DEEPER_THAN_WALK(root):
        return None
    for element in list(root.iter(*_INLINE_FORMATTING)):
        # Elements a theme or metadata reader may look for by name stay (``span.fn`` ...).
        named = any(element.get(name) for name in _NAMING_ATTRIBUTES)
        if not named and element.getparent() is not None:
            element.drop_tag()
    return TOO_DEEP if _DEEPER_THAN_WALK(root) else None
