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
inner whitespace is collapsed where it holds more than single spaces. Text whose only
whitespace is the space and the newline (most bodies) is cut on its UTF-8 bytes, where
the splits and strips cost less, and decoded once.

What the stylesheet cannot express it refuses (:class:`BodyNotWritten`), and the Python
writer writes that body: a ``<pre>`` (its lines are kept), an element whose class may name
boilerplate (tokens are split on Unicode whitespace, which XPath cannot), and text that holds
the marker character itself.
"""

from __future__ import annotations

import re
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


# Whitespace (str.isspace: what str.split and str.strip take away) but the space and the
# newline, in UTF-8: tab, VT, FF, CR, 1C-1F; U+0085 and U+00A0 (C2 85, C2 A0), U+1680
# (E1 9A 80), U+3000 (E3 80 80); U+2000-U+200A, U+2028, U+2029, U+202F, U+205F (E2 80 xx,
# E2 81 9F). A test checks every code point. One byte translation marks the one-byte ones
# (as 0) and the lead bytes C2, E1, E3 (as 1, 2, 3), each then found by a byte search; the
# sequences are searched only after their lead, each from its literal lead byte (E2 also
# starts the curly quotes and dashes of most text).
_SPACE_MARKS = bytes.maketrans(
    b"\t\x0b\x0c\r\x1c\x1d\x1e\x1f\xc2\xe1\xe3", bytes(8) + b"\x01\x02\x03"
)
_LEAD_SPACES = (
    (b"\x01", re.compile(b"\xc2[\x85\xa0]")),
    (b"\x02", re.compile(b"\xe1\x9a\x80")),
    (b"\x03", re.compile(b"\xe3\x80\x80")),
)
_E2_SPACE = re.compile(b"\xe2(?:\x80[\x80-\x8a\xa8\xa9\xaf]|\x81\x9f)")


def _spaced_only(written: bytes) -> bool:
    """Whether the only whitespace of ``written`` (UTF-8, no NUL) is the space and newline."""
    marked = written.translate(_SPACE_MARKS)
    if b"\x00" in marked:
        return False
    for mark, spaces in _LEAD_SPACES:
        if mark in marked and spaces.search(written):
            return False
    return _E2_SPACE.search(written) is None


_BREAK_BYTE = _BREAK.encode()


def _spaced_paragraphs(written: bytes) -> list[str]:
    """Return :func:`marked_paragraphs` of ``written`` (UTF-8) that :func:`_spaced_only` passed.

    The same cut, on the bytes: there, stripping ASCII spaces is stripping whitespace, and
    a line needs collapsing only where it holds a double space (an unprintable character
    that is no whitespace, such as the C1 control of mojibake, needs nothing). Bytes split
    and strip for less than text of two bytes a character (one curly quote makes the whole
    text so), and the text is decoded once.
    """
    spaced = b"\n".join(map(bytes.strip, written.replace(b"\n", b" ").split(_BREAK_BYTE)))
    paragraphs = list(filter(None, map(str.strip, spaced.decode("utf-8").split("\n\n"))))
    if b"  " not in spaced:
        return paragraphs
    return [_collapsed_lines(p) if "  " in p else p for p in paragraphs]


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
            written = bytes(self._transform()(body))  # UTF-8
        except etree.XSLTApplyError:
            raise BodyNotWritten from None
        if _spaced_only(written):
            return _spaced_paragraphs(written)
        return marked_paragraphs(written.decode("utf-8"))


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
