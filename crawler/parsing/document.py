"""Bytes to one lxml tree: encoding decision and the single parse of a page.

The encoding is decided before parsing so that lxml parses the bytes once, with the right
codec: a byte-order mark wins, then the charset of the HTTP ``Content-Type``, then a
``<meta charset>`` / ``http-equiv`` declaration in the first 4 KB, then strict UTF-8, then
windows-1252 (what pre-2006 Blogger pages without a declaration mostly are). HTML entities are
decoded by lxml, once; nothing downstream unescapes again.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass

import lxml.html
from bs4.dammit import UnicodeDammit
from lxml import etree

from crawler.parsing.errors import UnreadablePageError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
# CleanEval copies wrap the page in <text id=URL title=... encoding=utf8> instead of a <head>.
_WRAPPER_ENCODING = re.compile(rb"""<text\b[^>]*\bencoding=["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
_BINARY_MAGIC = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"\x1f\x8b", b"PK\x03\x04")
_SNIFF_BYTES = 4096
_WIDE_ENCODINGS = frozenset({"utf-16", "utf-32"})

# lxml parsers must not be shared between threads: one cache per thread.
_thread_parsers = threading.local()


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed page: its root element, the bytes it came from and the codec used."""

    root: lxml.html.HtmlElement
    body: bytes
    """The bytes the tree was parsed from; UTF-16/32 pages are transcoded to UTF-8 first, so
    that byte-level searches (ids, markers) see ASCII markup."""
    encoding: str
    """The codec the page was read with."""


def python_codec(label: str) -> str | None:
    """Return Python's canonical codec name for an encoding ``label``, or None if unknown."""
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    # Browsers read a declared latin-1 as windows-1252 (WHATWG); so do we.
    return "cp1252" if name in {"latin-1", "iso8859-1", "ascii"} else name


def declared_encoding(body: bytes, content_type: str | None = None) -> str | None:
    """Return the codec a BOM, ``content_type`` or the page's own declaration names, if any."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    if content_type:
        header = _HEADER_CHARSET.search(content_type)
        if header and (codec := python_codec(header.group(1))):
            return codec
    head = body[:_SNIFF_BYTES]
    for pattern in (_META_CHARSET, _WRAPPER_ENCODING):
        declared = pattern.search(head)
        if declared and (codec := python_codec(declared.group(1).decode("ascii", "replace"))):
            return codec
    return None


def decide_encoding(body: bytes, content_type: str | None = None) -> str:
    """Return the codec to read ``body`` with (see the module docstring for the order).

    A declared UTF-8 that the bytes do not satisfy is not trusted: the bytes are then read as
    windows-1252 if they are not UTF-8 at all, or as ``UnicodeDammit`` guesses for mixtures.
    """
    declared = declared_encoding(body, content_type)
    if declared is not None and declared != "utf-8":
        return declared
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        guess = UnicodeDammit(body, ["windows-1252"]).original_encoding
        return (python_codec(guess) if guess else None) or "cp1252"
    return "utf-8"


def _parser_for(encoding: str) -> lxml.html.HTMLParser:
    parsers: dict[str, lxml.html.HTMLParser] = _thread_parsers.__dict__.setdefault("by_codec", {})
    parser = parsers.get(encoding)
    if parser is None:
        parser = lxml.html.HTMLParser(encoding=encoding, remove_comments=False)
        # lxml.html picks each element's Python class in a Python callback (form controls get
        # classes of their own), paid for every element parsing touches: as much as a third
        # of the parse itself on a page of many paragraphs. Parsing uses no form-control
        # method, so one class per node type, chosen in C, gives the same tree for less.
        parser.set_element_class_lookup(
            etree.ElementDefaultClassLookup(
                element=lxml.html.HtmlElement,
                comment=lxml.html.HtmlComment,
                pi=lxml.html.HtmlProcessingInstruction,
                entity=lxml.html.HtmlEntity,
            )
        )
        parsers[encoding] = parser
    return parser


def _reject_binary(body: bytes) -> None:
    if not body.strip():
        raise UnreadablePageError("empty document")
    wide_unicode = body.startswith(tuple(bom for bom, _ in _BOMS[1:]))
    if body.startswith(_BINARY_MAGIC) or (b"\x00" in body[:_SNIFF_BYTES] and not wide_unicode):
        raise UnreadablePageError("binary data, not a text document")


def load_document(body: bytes, content_type: str | None = None) -> Document:
    """Parse ``body`` as HTML with one lxml parse and return the :class:`Document`.

    Raises :class:`UnreadablePageError` for empty or binary bytes, or bytes lxml cannot read.
    """
    _reject_binary(body)
    encoding = decide_encoding(body, content_type)
    if encoding in _WIDE_ENCODINGS:
        body = body.decode(encoding, errors="replace").encode("utf-8")
        encoding = "utf-8"
    try:
        root = lxml.html.document_fromstring(body, parser=_parser_for(encoding))
    except (etree.ParserError, ValueError) as error:
        raise UnreadablePageError(f"not an HTML document ({error})") from None
    if root is None:
        raise UnreadablePageError("not an HTML document (no root element)")
    return Document(root=root, body=body, encoding=encoding)


def decode_text(body: bytes, content_type: str | None = None) -> str:
    """Decode ``body`` to text with the encoding rules of :func:`decide_encoding`."""
    _reject_binary(body)
    encoding = decide_encoding(body, content_type)
    text = body.decode(encoding, errors="replace")
    return text.removeprefix("\ufeff")
