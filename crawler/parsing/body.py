"""The post body as a reader sees it: a list of paragraphs, in order.

Splitting rules: every block element (``p``, ``div``, list items, headings, ``blockquote``,
``pre``, table rows ...) ends the paragraph before it and starts a new one; two ``<br>`` in a
row (with only whitespace between) end a paragraph; a single ``<br>`` is a line break inside
a paragraph and becomes a newline character. Other whitespace runs collapse to one space,
except inside ``<pre>``, whose lines are kept. Paragraphs without text (image-only blocks,
spacers) are
dropped. Scripts, styles, embedded objects, forms, ads (``ins.adsbygoogle``), share widgets,
``div.blogger-post-footer`` and similar boilerplate are skipped. Text comes from lxml, whose
entities are decoded once; nothing here unescapes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from lxml import etree
from lxml.html import HtmlElement

from crawler.parsing.body_stylesheet import BodyNotWritten, ParagraphStylesheet, body_text

# Tags whose content a reader never sees as post text. A <form> is not one of them: authors
# wrap whole posts in one (a tutorial inside <form id="listBox">), so its text is read while
# its controls (buttons, selects and their options, inputs, text areas) are skipped.
_SKIPPED_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "iframe", "object", "embed",
        "button", "select", "input", "textarea", "svg", "video", "audio", "canvas", "map",
        "head", "title", "meta", "link",
    }
)  # fmt: skip
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr",
        "table", "ul", "ol", "dl", "dt", "dd", "section", "article", "header", "footer",
        "aside", "figure", "figcaption", "center", "hr", "address", "main", "nav",
        "details", "summary", "caption", "fieldset", "form", "tbody", "thead", "tfoot", "body",
        "text",
    }
)  # fmt: skip
_CELL_TAGS = frozenset({"td", "th"})
# Block tags whose childless elements are written as one paragraph of their text.
LEAF_BLOCK_TAGS = _BLOCK_TAGS - {"pre"}

# Boilerplate that templates put inside the body element: class tokens, matched whole.
_BOILERPLATE_CLASSES = frozenset(
    {
        "blogger-post-footer",
        "adsbygoogle",
        "post-share-buttons",
        "share-buttons",
        "sharethis",
        "addthis_toolbox",
        "addthis_inline_share_toolbox",
        "a2a_kit",
        "sharedaddy",
        "social-share",
        "post-sharing",
        "related-posts",
        "jump-link",
        # Widgets a post pasted from a news site carries along: its share tools and the
        # recommendation widget under it (Outbrain's embed is ``div.OUTBRAIN``).
        "sharetools",
        "share-tools",
        "OUTBRAIN",
    }
)


def _is_boilerplate(element: HtmlElement) -> bool:
    """Whether ``element``'s class names template boilerplate.

    Tested as the writer meets each element (one attribute read), where a search of the
    body for candidates cost a scan of its own.
    """
    classes = element.get("class")
    return classes is not None and not _BOILERPLATE_CLASSES.isdisjoint(classes.split())


def _spaced(text: str) -> str:
    """Return ``text`` with its tabs and no-break spaces made spaces.

    They are the whitespace characters that text holds most, after the space and the
    newline (a no-break space after a sentence's full stop, tabs of indented source).
    """
    return text.replace("\xa0", " ").replace("\t", " ")


def _squeezed(text: str) -> str:
    """Return ``text`` with each run of spaces made one space."""
    while "  " in text:
        text = text.replace("  ", " ")
    return text


def collapse_whitespace(text: str) -> str:
    """Return ``" ".join(text.split())``: whitespace runs made one space, the ends trimmed.

    Without a split into words: once stripped, text that is printable (every whitespace
    character but the space is not) once its newlines, tabs and no-break spaces are spaces
    holds no whitespace but spaces, and only its runs of them are left to squeeze.
    """
    stripped = text.strip().replace("\n", " ")  # a newline of the source is a space
    if not stripped.isprintable():
        spaced = _spaced(stripped)
        if not spaced.isprintable():
            return " ".join(stripped.split())
        stripped = spaced
    return _squeezed(stripped)


def _collapsed_lines(lines: Iterable[str]) -> str:
    """Return ``lines`` each collapsed (:func:`collapse_whitespace`), empty ones dropped, joined."""
    return "\n".join(filter(None, [" ".join(line.split()) for line in lines]))


def _collapsed_preformatted(text: str) -> str:
    """Return :func:`_collapsed_lines` of ``text.splitlines()`` (a ``<pre>``'s lines).

    Without a split into words: where the text is printable but its newlines once its tabs
    and no-break spaces are spaces, its only line boundary is the newline and its only
    whitespace the space, so that stripped lines are left with runs of spaces to squeeze.
    """
    spaced = _spaced(text)
    if not spaced.replace("\n", "").isprintable():
        return _collapsed_lines(text.splitlines())
    return _squeezed("\n".join(filter(None, map(str.strip, spaced.split("\n")))))


# Marks a line break (one <br>) among the pieces of a paragraph. Text from lxml never holds a
# NUL (libxml2 keeps text as C strings and turns a NUL byte or &#0; into U+FFFD), so the
# newlines of the source can stay in the pieces until the paragraph is cut into lines.
_LINE_BREAK = "\x00"


def _collapsed_paragraph(text: str) -> str:
    r"""Return :func:`_collapsed_lines` of the lines of ``text``, cut at :data:`_LINE_BREAK`.

    Newlines of the source are whitespace inside a line. The writer's lines mostly hold
    spaces and newlines as their only whitespace: those, the spaces at line breaks and the
    empty lines go by a few replacements of the whole paragraph instead of a split and a
    join per line. Should a character be left that is unprintable but a line break (a tab,
    a no-break space: every whitespace character but the space is unprintable), each line
    is collapsed instead.
    """
    joined = text.replace("\n", " ").strip()
    while "  " in joined:
        joined = joined.replace("  ", " ")
    joined = joined.replace(" \x00", "\x00").replace("\x00 ", "\x00")
    while "\x00\x00" in joined:
        joined = joined.replace("\x00\x00", "\x00")
    joined = joined.strip("\x00")
    if not joined.replace("\x00", "").isprintable():
        return _collapsed_lines(text.split(_LINE_BREAK))
    return joined.replace("\x00", "\n")


class _ParagraphWriter:
    """Accumulates text pieces and cuts them into paragraphs at block and ``<br><br>`` edges."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self._pieces: list[str] = []
        self._breaks = 0

    def flush(self) -> None:
        self._breaks = 0
        if not self._pieces:
            return
        text = "".join(self._pieces)
        self._pieces = []
        paragraph = _collapsed_paragraph(text) if _LINE_BREAK in text else collapse_whitespace(text)
        if paragraph:
            self.paragraphs.append(paragraph)

    def text(self, value: str | None) -> None:
        if not value:
            return
        if value.isspace():
            # A space only separates: at the start of a paragraph the flush would drop it.
            if self._pieces:
                self._pieces.append(" ")
            return
        breaks = self._breaks
        if breaks:
            if breaks >= 2:  # noqa: PLR2004 - two <br> in a row end a paragraph
                self.flush()
            else:
                self._pieces.append(_LINE_BREAK)
            self._breaks = 0
        self._pieces.append(value)

    def line_break(self) -> None:
        """Note a ``<br>``: one ends the line, two in a row the paragraph (at the next text)."""
        self._breaks += 1

    def preformatted(self, element: HtmlElement) -> None:
        self.flush()
        paragraph = _collapsed_preformatted(self._raw_text(element))
        if paragraph:
            self.paragraphs.append(paragraph)

    def _raw_text(self, element: HtmlElement) -> str:
        """Text of a ``<pre>`` with its newlines, without skipped elements' text."""
        pieces = [element.text or ""]
        for child in element:
            tag = child.tag
            if tag == "br":
                pieces.append("\n")
            elif isinstance(tag, str) and tag not in _SKIPPED_TAGS and not _is_boilerplate(child):
                pieces.append(self._raw_text(child))
            pieces.append(child.tail or "")
        return "".join(pieces)

    def element(self, element: HtmlElement) -> None:
        """Write ``element`` (not its tail); a ``<br>`` is handled by :meth:`children`."""
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIPPED_TAGS or _is_boilerplate(element):
            return
        if tag == "pre":
            self.preformatted(element)
            return
        if tag in _BLOCK_TAGS:
            if self._pieces or self._breaks:
                self.flush()
            if not len(element):
                # A leaf block (most paragraphs): its text alone is the paragraph, which is
                # what text() then flush() make of it (no break is pending after a flush).
                value = element.text
                if value and (paragraph := collapse_whitespace(value)):
                    self.paragraphs.append(paragraph)
                return
            self.children(element)
            self.flush()
        elif tag in _CELL_TAGS:
            self._pieces.append(" ")
            self.children(element)
            self._pieces.append(" ")
        else:
            self.children(element)

    def children(self, element: HtmlElement) -> None:
        # The commonest children are written here rather than through element() and text()
        # (a call each costs as much as the work): a <br>, a leaf paragraph, a tail.
        self.text(element.text)
        paragraphs = self.paragraphs
        for child in element:
            tag = child.tag
            if tag == "br" or (tag in LEAF_BLOCK_TAGS and not len(child)):
                classes = child.get("class")
                if classes is not None and not _BOILERPLATE_CLASSES.isdisjoint(classes.split()):
                    pass
                elif tag == "br":
                    self._breaks += 1
                else:  # as element() writes a leaf block
                    if self._pieces or self._breaks:
                        self.flush()
                    value = child.text
                    if value and (paragraph := collapse_whitespace(value)):
                        paragraphs.append(paragraph)
            else:
                self.element(child)
            tail = child.tail
            if not tail:
                continue
            if tail.isspace():
                if self._pieces:  # as text() keeps a blank: one separating space
                    self._pieces.append(" ")
                continue
            # as text() writes a text: a pending <br> ends the line or the paragraph first
            breaks = self._breaks
            if breaks:
                if breaks >= 2:  # noqa: PLR2004 - two <br> in a row end a paragraph
                    self.flush()
                else:
                    self._pieces.append(_LINE_BREAK)
                self._breaks = 0
            self._pieces.append(tail)


# The same rules, walked by libxml2; bodies it cannot write exactly (a marker character in the
# text, a boilerplate class) go to the Python writer. It pays where the writer pays per node:
# from a few dozen elements on, and where they are not few for the text (the writer's cost of
# long prose is its string work, which the stylesheet's cut pays as well, after a
# transformation and two C walks for its checks). Measured cold, as a page meets them (each
# try on a freshly parsed page, after the stages before the body; best of 9 CPU, glibc's
# fastbins off so that no stage pays malloc_consolidate for the frees of the ones before it),
# on 57 bodies (corpus, stand-in pages, stress pages of six shapes): these bounds give 13.59
# ms in all, against 19.50 for the writer alone, 14.47 for the stylesheet alone and 13.46 for
# the faster of the two on each; a bound of 40 elements gave 13.68. Warm (the same body again
# and again) the stylesheet looks faster from 40 elements on; cold, its first calls into
# libxml2's serializer and libxslt cost 25-60 us more than the writer's on a small body.
_STYLESHEET_MIN_ELEMENTS = 64
# libxml2 stops at the element a positional predicate names: 1-2 us, where walking the
# body's first elements as proxies (islice over iter()) cost 3-6.
_HOLDS_MIN_ELEMENTS = etree.XPath(
    f"boolean(descendant::*[{_STYLESHEET_MIN_ELEMENTS}])", regexp=False
)
_TEXT_BYTES_AN_ELEMENT = 128
_STYLESHEET = ParagraphStylesheet(
    skipped=_SKIPPED_TAGS,
    blocks=_BLOCK_TAGS,
    cells=_CELL_TAGS,
    boilerplate_classes=_BOILERPLATE_CLASSES,
)


def written_body_paragraphs(body: HtmlElement) -> list[str]:
    """Return the paragraphs of ``body`` as the Python writer writes them, node by node."""
    writer = _ParagraphWriter()
    writer.children(body)
    writer.flush()
    return writer.paragraphs


def body_paragraphs(body: HtmlElement) -> list[str]:
    """Return the paragraphs of ``body`` (see the module docstring for the rules).

    ``body`` itself is not skipped whatever its tag (a ``<noscript>`` copy can be the body).
    The tree is not modified. Every paragraph is whitespace-normalised: non-empty lines
    joined by single newlines, each line its words joined by single spaces (``line ==
    " ".join(line.split())``: no other whitespace character, no run, nothing at its ends).
    """
    # A comment reader may pass a comment node (no element: XPath takes none, nor has it any).
    if isinstance(body.tag, str) and _HOLDS_MIN_ELEMENTS(body):
        text = body_text(body)
        many = len(text) // _TEXT_BYTES_AN_ELEMENT
        # The children are counted for less than the descendants (a body of lines or
        # paragraphs has them all as children); a wrapped body needs the count.
        if many < max(_STYLESHEET_MIN_ELEMENTS, len(body)) or _STYLESHEET.elements(body) > many:
            try:
                return _STYLESHEET.paragraphs(body, text)
            except BodyNotWritten:
                pass
    return written_body_paragraphs(body)


def paragraphs_before(holder: HtmlElement, end: HtmlElement) -> list[str]:
    """Return the paragraphs of ``holder``'s text and its children before ``end``, a child.

    What :func:`body_paragraphs` gives for a copy of ``holder`` without ``end``, the nodes
    after it and their tails, written by the Python writer as its ``children`` writes an
    element's (no copy is made).
    """
    return _written_run(holder.text, iter(holder), end)


def paragraphs_between(start: HtmlElement, end: HtmlElement) -> list[str]:
    """Return the paragraphs of the nodes between ``start`` and ``end``, a later sibling.

    What :func:`body_paragraphs` gives for an element holding those nodes (``start``'s tail,
    the siblings between and their tails), written by the Python writer as its
    ``children`` writes an element's.
    """
    return _written_run(start.tail, start.itersiblings(), end)


def _written_run(text: str | None, nodes: Iterator[HtmlElement], end: HtmlElement) -> list[str]:
    """Return the paragraphs of ``text`` then ``nodes`` (each with its tail) up to ``end``."""
    writer = _ParagraphWriter()
    writer.text(text)
    for node in nodes:
        if node is end:
            break
        if node.tag == "br":
            if not _is_boilerplate(node):
                writer.line_break()
        else:
            writer.element(node)
        writer.text(node.tail)
    writer.flush()
    return writer.paragraphs
