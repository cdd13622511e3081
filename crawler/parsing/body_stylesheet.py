"""The body's paragraphs written by libxml2: an XSLT walk in C, then a few whole-text cuts.

The paragraph writer of :mod:`crawler.parsing.body` visits every node in Python (about a
microsecond a node, 0.6 µs a one-``<p>`` paragraph). Here one XSLT 1.0 stylesheet, compiled
once per thread, writes the body's text in document order with a marker byte at every
``<br>`` (DEL) and at every block edge (CR), skipping the skipped tags; Python then cuts that
text with whole-text operations mapped in C (a byte translation, splits at one byte, strips),
never a step per node.

Why the cut gives the writer's paragraphs: the writer ends a paragraph at a block edge and at
two ``<br>`` with only whitespace between them, makes a single ``<br>`` a line break, drops
line breaks at a paragraph's edges and collapses whitespace within a line. Every whitespace
character (``str.isspace``) is first made a space. With no ``<br>``, the paragraphs are the
text between block edges, stripped, the empty ones dropped. With ``<br>``, the text between
two DELs (a line), stripped, is empty exactly where two ``<br>`` end a paragraph: such a line
is made a block edge, the lines are joined by newlines, and the text is cut at block edges
alone. Every line is stripped then, so where the text holds a double space at all, a
paragraph holding one has its runs of spaces squeezed (its lines' inner whitespace).

A ``<pre>`` is written between two marker characters (U+FDD0, U+FDD1) with its newlines, and
its lines are cut as the writer cuts a ``<pre>``. What the stylesheet cannot write exactly
it refuses (:class:`BodyNotWritten`), and the Python writer writes that body: text holding a
marker (found in libxml2's own text of the body, in C) and an element whose class names
boilerplate (the class values are read by one XPath expression, split as the writer splits
them).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Collection
from typing import cast

from lxml import etree
from lxml.html import HtmlElement

# The markers: one byte each, which XML 1.0 lets a stylesheet write as literal text (each
# written from a variable cost the transformation as much as the rest of it). lxml text can
# hold them (libxml2 keeps control characters; CR only from a &#13;, the parser turns the
# source's CRs into newlines): the stylesheet refuses such a body.
_LINE = b"\x7f"  # a <br>
_EDGE = b"\r"  # a block edge
_PRE_OPEN, _PRE_CLOSE = "\ufdd0", "\ufdd1"  # noncharacters around a <pre>'s text
# Text never holds NUL (libxml2 keeps text as C strings and turns a NUL byte or &#0; into
# U+FFFD; tested again with the markers): it stands for a <pre> among the paragraphs.
_PRE_PLACE = b"\x00"
_PRE_MARKS = (_PRE_OPEN.encode(), _PRE_CLOSE.encode())  # both start with EF, rare in text


def _holds_a_marker(text: bytes) -> bool:
    """Whether libxml2's text of a body (UTF-8) holds a character the stylesheet writes."""
    if _LINE in text or _EDGE in text or _PRE_PLACE in text or _KEPT_EDGE in text:
        return True
    return b"\xef" in text and any(mark in text for mark in _PRE_MARKS)


class BodyNotWritten(Exception):  # noqa: N818 - an outcome, not an error of the caller
    """The stylesheet cannot write this body exactly; the Python writer must."""


def _union(tags: Collection[str]) -> str:
    return " | ".join(sorted(tags))


def _stylesheet(skipped: frozenset[str], blocks: frozenset[str], cells: frozenset[str]) -> bytes:
    return f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/"><xsl:apply-templates select="*/node()"/></xsl:template>
<xsl:template match="{_union(skipped)}"/>
<xsl:template match="br"><xsl:text>&#127;</xsl:text></xsl:template>
<xsl:template match="{_union(blocks - {"pre"})}">
  <xsl:text>&#13;</xsl:text><xsl:apply-templates/><xsl:text>&#13;</xsl:text>
</xsl:template>
<xsl:template match="{_union(cells)}">
  <xsl:text> </xsl:text><xsl:apply-templates/><xsl:text> </xsl:text>
</xsl:template>
<xsl:template match="pre">
  <xsl:text>{_PRE_OPEN}</xsl:text><xsl:apply-templates mode="pre"/><xsl:text>{_PRE_CLOSE}</xsl:text>
</xsl:template>
<xsl:template match="{_union(skipped)}" mode="pre"/>
<xsl:template match="br" mode="pre"><xsl:text>&#10;</xsl:text></xsl:template>
</xsl:stylesheet>""".encode()


# Whitespace (str.isspace: what str.split and str.strip take away) but the space, in UTF-8:
# tab, LF, VT, FF, 1C-1F (CR is a marker here); U+0085 and U+00A0 (C2 85, C2 A0), U+1680
# (E1 9A 80), U+2000-U+200A, U+2028, U+2029, U+202F, U+205F (E2 80 xx, E2 81 9F), U+3000
# (E3 80 80). A test checks every code point. The one-byte ones go by a translation; each
# longer one is searched only after its lead byte is found (E2 also starts the curly quotes
# and dashes of most text). The same translation makes the block edge SOH, which bytes.strip
# keeps (it strips CR), so that lines are stripped by the plain call.
_KEPT_EDGE = b"\x01"
_KEPT_EDGE_TEXT = _KEPT_EDGE.decode()
_SPACES = bytes.maketrans(b"\t\n\x0b\x0c\x1c\x1d\x1e\x1f" + _EDGE, b" " * 8 + _KEPT_EDGE)
_WIDE_SPACES = (
    (b"\xc2", re.compile(b"\xc2[\x85\xa0]")),
    (b"\xe1", re.compile(b"\xe1\x9a\x80")),
    (b"\xe2", re.compile(b"\xe2(?:\x80[\x80-\x8a\xa8\xa9\xaf]|\x81\x9f)")),
    (b"\xe3", re.compile(b"\xe3\x80\x80")),
)


def _collapsed_lines(paragraph: str) -> str:
    return "\n".join(" ".join(line.split()) for line in paragraph.split("\n"))


def _squeezed(paragraph: str) -> str:
    """Return ``paragraph`` with its runs of spaces made one space (its lines are stripped)."""
    while "  " in paragraph:
        paragraph = paragraph.replace("  ", " ")
    return paragraph


def _cut(written: bytes) -> list[str]:
    """Return the paragraphs of ``written`` (UTF-8, DEL and CR markers, no ``<pre>``)."""
    text = written.translate(_SPACES)
    for lead, spaces in _WIDE_SPACES:
        if lead in text and spaces.search(text):
            text = spaces.sub(b" ", text)
    doubled = b"  " in text
    # Decoded once, then cut (str splits and strips cost less than a decoding a paragraph).
    if _LINE not in text:
        chunks = text.decode().split(_KEPT_EDGE_TEXT)
    else:
        # The lines, stripped; an empty one (two <br> with only whitespace between) ends a
        # paragraph. Without block edges, the paragraphs are cut at two newlines where the
        # lines are joined; with them, an empty line is made a block edge, so that one split
        # cuts at both (a split at one character is a loop over every character, a search for
        # two skips most of them: the one split is cheaper only where there are two to make).
        lines = list(map(bytes.strip, text.split(_LINE)))
        if _KEPT_EDGE not in text:
            chunks = b"\n".join(lines).decode().split("\n\n")
        else:
            if b"" in lines:
                lines = [line or _KEPT_EDGE for line in lines]
            chunks = b"\n".join(lines).decode().split(_KEPT_EDGE_TEXT)
    # Every whitespace character is a space or a joint's newline now: what str.strip strips.
    paragraphs = list(filter(None, map(str.strip, chunks)))
    if not doubled:
        return paragraphs
    # Each line is stripped already and holds no whitespace but spaces: runs of them are left.
    return [_squeezed(p) if "  " in p else p for p in paragraphs]


# A <pre>'s line boundaries (str.splitlines': CR only from a &#13;, which the stylesheet refuses)
# made newlines, its other whitespace spaces, in UTF-8: the one-byte ones by a translation,
# U+0085, U+2028 and U+2029 by a search after their lead byte, the rest as in a cut.
_PRE_SPACES = bytes.maketrans(b"\t\x1f\r\x0b\x0c\x1c\x1d\x1e", b"  " + b"\n" * 6)
_PRE_BREAKS = re.compile(b"\xc2\x85|\xe2\x80[\xa8\xa9]")


def _preformatted(raw: bytes) -> str:
    """Return a ``<pre>``'s text as the writer gives it: lines collapsed, empty ones dropped.

    The writer's ``" ".join(line.split())`` over ``splitlines()``, without a step per word:
    its line boundaries are made newlines and its other whitespace spaces (as :func:`_cut`
    makes them), so that the lines are stripped by the plain call and only a line holding a
    double space is left to squeeze.
    """
    text = raw.translate(_PRE_SPACES)
    if (b"\xc2" in text or b"\xe2" in text) and _PRE_BREAKS.search(text):
        text = _PRE_BREAKS.sub(b"\n", text)
    for lead, spaces in _WIDE_SPACES:
        if lead in text and spaces.search(text):
            text = spaces.sub(b" ", text)
    lines = b"\n".join(filter(None, map(bytes.strip, text.split(b"\n")))).decode()
    return _squeezed(lines) if "  " in lines else lines


def written_paragraphs(written: bytes) -> list[str]:
    """Return the paragraphs of the stylesheet's text ``written`` (UTF-8)."""
    if b"\xef" not in written or _PRE_MARKS[0] not in written:
        return _cut(written)
    # Each <pre> is a paragraph of its own (its edges are paragraph edges): its place is
    # kept as a paragraph of one NUL, filled in once the rest is cut.
    head, *sections = written.split(_PRE_MARKS[0])
    rests, preformatted = [head], []
    for section in sections:
        raw, _, rest = section.partition(_PRE_MARKS[1])
        preformatted.append(_preformatted(raw))
        rests.append(rest)
    kept = iter(preformatted)
    paragraphs = []
    for paragraph in _cut((_EDGE + _PRE_PLACE + _EDGE).join(rests)):
        if paragraph != "\x00":
            paragraphs.append(paragraph)
        elif pre := next(kept):
            paragraphs.append(pre)
    return paragraphs


def body_text(body: HtmlElement) -> bytes:
    """Return every text of ``body`` (its tail aside) joined, in UTF-8: libxml2's, in C."""
    return etree.tostring(body, method="text", encoding="utf-8", with_tail=False)


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

        ``blocks`` end paragraphs (a ``pre`` among them keeps its lines), ``cells`` are set
        off by spaces, ``skipped`` elements are not written; any other element is written as
        its content. An element whose class holds one of ``boilerplate_classes`` (a token,
        as ``str.split`` cuts the value) makes the body refused.
        """
        self._stylesheet = _stylesheet(skipped, blocks, cells)
        self._boilerplate = boilerplate_classes
        self._threads = threading.local()

    def _tools(self) -> tuple[etree.XSLT, etree.XPath, etree.XPath]:
        tools: tuple[etree.XSLT, etree.XPath, etree.XPath] | None
        tools = getattr(self._threads, "tools", None)
        if tools is None:
            tools = (
                # No EXSLT regular expressions are used: lxml need not register them per call.
                etree.XSLT(etree.XML(self._stylesheet), regexp=False),
                etree.XPath("descendant::*/@class", smart_strings=False, regexp=False),
                etree.XPath("count(descendant-or-self::*)", regexp=False),
            )
            self._threads.tools = tools
        return tools

    def elements(self, body: HtmlElement) -> int:
        """Return how many elements ``body`` holds, itself among them (counted in C)."""
        count = self._tools()[2](body)
        assert isinstance(count, float)  # noqa: S101 - what XPath's count() returns
        return int(count)

    def _names_boilerplate(self, classes: list[str]) -> bool:
        """Whether a class value of ``classes`` holds a boilerplate token.

        Most bodies have no class that even contains a boilerplate name: one search each in
        the values joined tells it.
        """
        if not classes:
            return False
        joined = " ".join(classes)
        if not any(name in joined for name in self._boilerplate):
            return False
        return any(not self._boilerplate.isdisjoint(value.split()) for value in classes)

    def paragraphs(self, body: HtmlElement, text: bytes | None = None) -> list[str]:
        """Return the paragraphs of ``body``'s content, as the Python writer writes them.

        ``text`` is :func:`body_text` of ``body`` where the caller has it. Raises
        :class:`BodyNotWritten` for a body the stylesheet cannot write exactly (see the
        module docstring). The tree is not modified.
        """
        transform, classes, _ = self._tools()
        if _holds_a_marker(body_text(body) if text is None else text):
            raise BodyNotWritten
        # A node-set of attributes: their values, plain strings (smart_strings=False).
        if self._names_boilerplate(cast("list[str]", classes(body))):
            raise BodyNotWritten
        try:
            written = bytes(transform(body))
        except etree.XSLTApplyError:  # libxslt's own limits (its template depth)
            raise BodyNotWritten from None
        return written_paragraphs(written)


def _untidy(text: str) -> bool:
    """Whether ``text`` (stripped lines joined by newlines) may hold whitespace to collapse.

    A double space or any unprintable character but the newline (every whitespace character
    but the space is unprintable): a superset of what collapsing changes. In ASCII text, a
    whitespace character but the space and the newline, found by a search for each (a tenth
    of the cost of ``str.isprintable``, which looks every character up in the Unicode tables).
    """
    if "  " in text:
        return True
    if text.isascii():  # str.split's ASCII whitespace: these, the space and the newline
        return (
            "\t" in text
            or "\r" in text
            or "\x0b" in text
            or "\x0c" in text
            or "\x1c" in text
            or "\x1d" in text
            or "\x1e" in text
            or "\x1f" in text
        )
    return not text.replace("\n", " ").isprintable()


def marked_paragraphs(flat: str, mark: str = "\x7f") -> list[str]:
    """Return the paragraphs of text written with a DEL at each ``<br>`` and two at each block edge.

    The writer's cut for text marked by DEL alone (the comment readers write their
    serialized text so): newlines of the source are spaces, the pieces between DELs are
    stripped, and two or more newlines where they are joined end a paragraph. ``mark``, when
    given, is what stands for the DEL (a comment text of one block whose lines are cut by a
    serialized ``<br/>`` is cut at those, unwritten); it holds no newline.
    """
    # Newlines of the source are spaces; newlines are then free to join the lines.
    text = "\n".join(map(str.strip, flat.replace("\n", " ").split(mark)))
    paragraphs = list(filter(None, map(str.strip, text.split("\n\n"))))
    if not _untidy(text):
        return paragraphs
    return [_collapsed_lines(p) if _untidy(p) else p for p in paragraphs]
