"""The body's paragraphs written by libxml2: an XSLT walk in C, then a few string splits.

The paragraph writer of :mod:`crawler.parsing.body` visits every node in Python (about a
microsecond a node: a page of 900 ``<br>`` lines spent more on it than lxml spent parsing the
page). Here one XSLT 1.0 stylesheet, compiled once per thread, writes the body's text in
document order with a marker character at every ``<br>`` and two at every block edge,
skipping the skipped tags; Python then cuts that text with whole-string operations only
(``split``, ``join``, ``strip`` mapped in C), not one step per node. It pays on bodies of
many ``<br>`` lines (see ``_STYLESHEET_MIN_BREAKS`` in :mod:`crawler.parsing.body`).

Why the cut gives the writer's paragraphs: the writer ends a paragraph at a block edge and at
two ``<br>`` with only whitespace between them, makes a single ``<br>`` a line break, drops
line breaks at a paragraph's edges and collapses whitespace within a line. A block edge is
written as two markers, so every paragraph end is a run of two or more markers; the text
between two markers, stripped, is empty exactly where a run continues. Joining those pieces
with newlines therefore puts a single newline at each line break and two or more at each
paragraph end; splitting at two newlines and stripping gives the paragraphs, and each line's
inner whitespace is collapsed where it holds more than single spaces.

What the stylesheet cannot express it refuses (:class:`BodyNotWritten`), and the Python
writer writes that body: a ``<pre>`` (its lines are kept), an element whose class may name
boilerplate (tokens are split on Unicode whitespace, which XPath cannot), and text that holds
the marker character itself.
"""

from __future__ import annotations

import threading

from lxml import etree
from lxml.html import HtmlElement

# The marker: DEL, a one-byte character that XML 1.0 lets a stylesheet write as literal text
# (written from a variable, each marker cost the transformation as much as the rest of it).
# Text may hold it too (libxml2 keeps control characters): the stylesheet refuses such a body.
_BREAK = "\x7f"


class BodyNotWritten(Exception):  # noqa: N818 - an outcome, not an error of the caller
    """The stylesheet cannot write this body exactly; the Python writer must."""


def _union(tags: frozenset[str]) -> str:
    return " | ".join(sorted(tags))


def _stylesheet(
    skipped: frozenset[str],
    blocks: frozenset[str],
    cells: frozenset[str],
    boilerplate_classes: frozenset[str],
) -> bytes:
    boilerplate = " or ".join(f"contains(., '{name}')" for name in sorted(boilerplate_classes))
    return f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/">
  <xsl:choose>
    <xsl:when test="contains(., '&#127;')">
      <xsl:message terminate="yes">marker</xsl:message>
    </xsl:when>
    <xsl:when test="descendant::*/@class[{boilerplate}]">
      <xsl:message terminate="yes">boilerplate</xsl:message>
    </xsl:when>
    <xsl:otherwise><xsl:apply-templates select="*/node()"/></xsl:otherwise>
  </xsl:choose>
</xsl:template>
<xsl:template match="{_union(skipped)}"/>
<xsl:template match="pre"><xsl:message terminate="yes">pre</xsl:message></xsl:template>
<xsl:template match="br"><xsl:text>&#127;</xsl:text></xsl:template>
<xsl:template match="{_union(blocks - {"pre"})}">
  <xsl:text>&#127;&#127;</xsl:text><xsl:apply-templates/><xsl:text>&#127;&#127;</xsl:text>
</xsl:template>
<xsl:template match="{_union(cells)}">
  <xsl:text> </xsl:text><xsl:apply-templates/><xsl:text> </xsl:text>
</xsl:template>
</xsl:stylesheet>""".encode()


def _collapsed_lines(paragraph: str) -> str:
    return "\n".join(" ".join(line.split()) for line in paragraph.split("\n"))


def _untidy(text: str) -> bool:
    """Whether ``text`` (stripped lines joined by newlines) may hold whitespace to collapse.

    A double space or any unprintable character but the newline (every whitespace character
    but the space is unprintable): a superset of what collapsing changes.
    """
    return "  " in text or not text.replace("\n", " ").isprintable()


class ParagraphStylesheet:
    """The writer's rules compiled into a stylesheet (once per thread, on first use)."""

    def __init__(
        self,
        *,
        skipped: frozenset[str],
        blocks: frozenset[str],
        cells: frozenset[str],
        boilerplate_classes: frozenset[str],
    ) -> None:
        """Write the stylesheet for these tag sets and boilerplate class tokens.

        ``blocks`` end paragraphs (a ``pre`` among them is refused), ``cells`` are set off by
        spaces, ``skipped`` elements are not written; any other element is written as its
        content.
        """
        self._stylesheet = _stylesheet(skipped, blocks, cells, boilerplate_classes)
        self._threads = threading.local()

    def _transform(self) -> etree.XSLT:
        transform: etree.XSLT | None = getattr(self._threads, "transform", None)
        if transform is None:
            transform = etree.XSLT(etree.XML(self._stylesheet))
            self._threads.transform = transform
        return transform

    def paragraphs(self, body: HtmlElement) -> list[str]:
        """Return the paragraphs of ``body``'s content, as the Python writer writes them.

        Raises :class:`BodyNotWritten` for a body the stylesheet cannot write exactly (see
        the module docstring). The tree is not modified.
        """
        try:
            flat = str(self._transform()(body))
        except etree.XSLTApplyError:
            raise BodyNotWritten from None
        return marked_paragraphs(flat)


def marked_paragraphs(flat: str) -> list[str]:
    """Return the paragraphs of text written with a DEL at each ``<br>`` and two at each block edge.

    The cut described in the module docstring.
    """
    # Newlines of the source are spaces; newlines are then free to join the lines.
    text = "\n".join(map(str.strip, flat.replace("\n", " ").split(_BREAK)))
    paragraphs = list(filter(None, map(str.strip, text.split("\n\n"))))
    if not _untidy(text):
        return paragraphs
    return [_collapsed_lines(p) if _untidy(p) else p for p in paragraphs]
