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

from lxml.html import HtmlElement

from crawler.parsing.xpath import Elements

# Tags whose content a reader never sees as post text.
_SKIPPED_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "iframe", "object", "embed", "form",
        "button", "select", "input", "textarea", "svg", "video", "audio", "canvas", "map",
        "head", "title", "meta", "link",
    }
)  # fmt: skip
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr",
        "table", "ul", "ol", "dl", "dt", "dd", "section", "article", "header", "footer",
        "aside", "figure", "figcaption", "center", "hr", "address", "main", "nav",
        "details", "summary", "caption", "fieldset", "tbody", "thead", "tfoot", "body",
        "text",
    }
)  # fmt: skip
_CELL_TAGS = frozenset({"td", "th"})

# Boilerplate that templates put inside the body element: class tokens, matched whole. The
# XPath pre-selects by cheap substrings; _is_boilerplate checks the tokens.
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
    }
)
_BOILERPLATE_CANDIDATES = Elements(
    ".//*[contains(@class, 'share') or contains(@class, 'adsbygoogle')"
    " or contains(@class, 'blogger-post-footer') or contains(@class, 'addthis')"
    " or contains(@class, 'a2a_kit') or contains(@class, 'related-posts')"
    " or contains(@class, 'jump-link')]"
)


def _boilerplate(body: HtmlElement) -> set[HtmlElement]:
    return {
        element
        for element in _BOILERPLATE_CANDIDATES(body)
        if _BOILERPLATE_CLASSES.intersection((element.get("class") or "").split())
    }


class _ParagraphWriter:
    """Accumulates text pieces and cuts them into paragraphs at block and ``<br><br>`` edges."""

    def __init__(self, skipped: set[HtmlElement]) -> None:
        self.paragraphs: list[str] = []
        self._pieces: list[str] = []
        self._breaks = 0
        self._skipped = skipped

    def flush(self) -> None:
        self._breaks = 0
        if not self._pieces:
            return
        text = "".join(self._pieces)
        self._pieces = []
        lines = (" ".join(line.split()) for line in text.split("\n"))
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            self.paragraphs.append(paragraph)

    def text(self, value: str | None) -> None:
        if not value:
            return
        if value.isspace():
            self._pieces.append(" ")
            return
        if self._breaks >= 2:
            self.flush()
        elif self._breaks == 1:
            self._pieces.append("\n")
        self._breaks = 0
        self._pieces.append(value.replace("\n", " "))

    def preformatted(self, element: HtmlElement) -> None:
        self.flush()
        lines = (" ".join(line.split()) for line in self._raw_text(element).splitlines())
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            self.paragraphs.append(paragraph)

    def _raw_text(self, element: HtmlElement) -> str:
        """Text of a ``<pre>`` with its newlines, without skipped elements' text."""
        pieces = [element.text or ""]
        for child in element:
            tag = child.tag
            if tag == "br":
                pieces.append("\n")
            elif isinstance(tag, str) and tag not in _SKIPPED_TAGS and child not in self._skipped:
                pieces.append(self._raw_text(child))
            pieces.append(child.tail or "")
        return "".join(pieces)

    def element(self, element: HtmlElement) -> None:
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIPPED_TAGS or element in self._skipped:
            return
        if tag == "br":
            self._breaks += 1
            return
        if tag == "pre":
            self.preformatted(element)
            return
        block = tag in _BLOCK_TAGS
        if block:
            self.flush()
        elif tag in _CELL_TAGS:
            self._pieces.append(" ")
        self.children(element)
        if block:
            self.flush()
        elif tag in _CELL_TAGS:
            self._pieces.append(" ")

    def children(self, element: HtmlElement) -> None:
        self.text(element.text)
        for child in element:
            self.element(child)
            self.text(child.tail)


def body_paragraphs(body: HtmlElement, *, bare: bool = False) -> list[str]:
    """Return the paragraphs of ``body`` (see the module docstring for the rules).

    ``body`` itself is not skipped whatever its tag (a ``<noscript>`` copy can be the body).
    The tree is not modified. ``bare=True`` is the caller's word that no descendant has a
    class (text and bare ``<br>`` only), so the search for boilerplate is skipped.
    """
    writer = _ParagraphWriter(set() if bare else _boilerplate(body))
    writer.children(body)
    writer.flush()
    return writer.paragraphs
