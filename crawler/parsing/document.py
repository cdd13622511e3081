"""Bytes to one lxml tree: encoding decision and the single parse of a page.

The encoding is decided before parsing so that lxml parses the bytes once, with the right
codec: a byte-order mark wins, then the charset of the HTTP ``Content-Type``, then a
``<meta charset>`` / ``http-equiv`` declaration in the first 4 KB, then strict UTF-8, then
windows-1252 (what pre-2006 Blogger pages without a declaration mostly are). "Strict UTF-8"
is tested by the parse itself where it can be: bytes declared UTF-8 (or undeclared) are parsed
as UTF-8 and only decoded by Python when libxml2's log cannot vouch for them. HTML entities are
decoded by lxml, once; nothing downstream unescapes again.

Only the encodings a browser reads pages in count as a declaration (the WHATWG Encoding
Standard's, by Python's names): ``utf-7``, ``unicode_escape``, ``base64`` and other codecs Python
knows are a server's mistake or an attack, so such a label is ignored and the bytes decide.
UTF-16/32 are believed from a byte-order mark or the bytes' own pattern of NULs, never from a
label (WHATWG reads ``<meta charset=utf-16>`` as UTF-8). Pages in any codec but UTF-8 are
decoded by Python, which replaces a byte its table lacks, and parsed as UTF-8: libxml2's iconv
lacks some codecs (``euc_kr``) and stops the tree at the first byte it cannot map. NUL bytes
are dropped before parsing (they are stray, not content); only a file signature or a head
dense with control bytes makes the bytes "binary data".

A page past libxml2's default limits (a 10 MB text node or ``data:`` image, 256 levels of
nesting) is parsed again with ``huge_tree``, so real pages come out whole; a tree that is
still cut is refused with a reason (see :mod:`crawler.parsing.tree_limits`), never returned
short. Pages within the limits pay one parse and a look at its FATAL errors, nothing more.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass
from typing import cast

import lxml.html
from lxml import etree

from crawler.parsing.errors import UnreadablePageError
from crawler.parsing.tree_limits import (
    LIFTED_BY_HUGE_TREE,
    TOO_DEEP,
    cut_reason,
    flatten_or_refuse,
    without_font_tags,
)

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
# Each declaration's expression, and a lowercase word every match of it holds.
_DECLARATIONS = ((_META_CHARSET, b"charset"), (_WRAPPER_ENCODING, b"encoding="))
# The byte-order marks of the UTF-16 and UTF-32 forms, whose NULs are no sign of binary data.
_WIDE_BOMS = tuple(bom for bom, _ in _BOMS[1:])
_BINARY_MAGIC = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"\x1f\x8b", b"PK\x03\x04")
_SNIFF_BYTES = 4096
_WIDE_ENCODINGS = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32"})
# WHATWG's "binary data bytes" (MIME Sniffing): no text encoding a page uses produces them.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_BINARY_SHARE = 0.10  # random bytes hold ~11% control bytes; a page with stray NULs ~0%
# The encodings of the WHATWG Encoding Standard (plus the CJK supersets pages declare), by
# Python's canonical codec name. Any other label is ignored, however Python would read it.
_PAGE_CODECS = frozenset(
    {
        "utf-8", "cp866", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5", "iso8859-6",
        "iso8859-7", "iso8859-8", "iso8859-10", "iso8859-11", "iso8859-13", "iso8859-14",
        "iso8859-15", "iso8859-16", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "cp874",
        "tis-620", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256",
        "cp1257", "cp1258", "gbk", "gb2312", "gb18030", "big5", "big5hkscs", "euc_jp",
        "iso2022_jp", "shift_jis", "cp932", "euc_kr", "cp949",
    }
)  # fmt: skip
# WHATWG labels Python spells otherwise.
_LABEL_ALIASES = {"windows-874": "cp874", "x-mac-cyrillic": "mac-cyrillic", "windows-31j": "cp932"}

# lxml parsers must not be shared between threads: two per thread, both UTF-8 (other codecs
# are transcoded first). The "huge" one lifts libxml2's 10 MB and 256-level limits, for the
# rare page past them. It relaxes no entity protection that matters here: the HTML parser
# expands no DTD entities, and responses are capped (DOWNLOAD_MAXSIZE) before they get here.
_thread_parsers = threading.local()
_INVALID_ENCODING = etree.ErrorTypes.ERR_INVALID_ENCODING
_TOO_MANY_ERRORS = etree.ErrorTypes.ERR_RESOURCE_LIMIT
# libxml2 logs at most 100 errors a parse (then one "too many errors" entry).
_LOGGED_ERRORS_SHOWN = 100


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed page: its root element, the bytes it came from and the codec used."""

    root: lxml.html.HtmlElement
    body: bytes
    """The UTF-8 bytes the tree was parsed from: pages in other codecs are transcoded and NUL
    bytes dropped first, so that byte-level searches (ids, markers) see ASCII markup."""
    encoding: str
    """The codec the page's bytes were read with."""


def python_codec(label: str) -> str | None:
    """Return Python's codec name for a page encoding ``label``; None if unknown or unsafe.

    Unsafe: any codec browsers do not read pages in (``utf-7``, ``unicode_escape`` ...), and
    UTF-16/32, which only a byte-order mark or the bytes themselves may decide.
    """
    label = label.strip().lower()
    try:
        name = codecs.lookup(_LABEL_ALIASES.get(label, label)).name
    except LookupError:
        return None
    # Browsers read a declared latin-1 as windows-1252 (WHATWG); so do we.
    if name in {"latin-1", "iso8859-1", "ascii"}:
        return "cp1252"
    return name if name in _PAGE_CODECS else None


def declared_encoding(body: bytes, content_type: str | None = None) -> str | None:
    """Return the codec a BOM, ``content_type`` or the page's own declaration names, if any.

    A declaration naming an unknown or unsafe codec (see :func:`python_codec`) is skipped.
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    if content_type:
        header = _HEADER_CHARSET.search(content_type)
        if header and (codec := python_codec(header.group(1))):
            return codec
    head = body[:_SNIFF_BYTES]
    # The expressions ignore case and open with "<" and a class, so re tries them at every
    # "<" of the 4 KB (a third of a small page's load overhead); a word each needs, looked
    # for in the lowered bytes, spares them where it is absent.
    lowered = head.lower()
    for pattern, word in _DECLARATIONS:
        if word not in lowered:
            continue
        declared = pattern.search(head)
        if declared and (codec := python_codec(declared.group(1).decode("ascii", "replace"))):
            return codec
    return None


def sniff_wide_encoding(body: bytes) -> str | None:
    """Return ``utf-16-le``/``-be`` for UTF-16 bytes without a BOM (their NULs say so), else None.

    Markup is mostly ASCII, so such a page has a NUL in nearly every other byte, on one side.
    """
    head = body[:512]
    if len(head) < 16 or b"\x00" not in head:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    if odd > 0.6 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.6 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _decided_without_decoding(body: bytes, content_type: str | None = None) -> str | None:
    """Return the codec for ``body`` when no decode is needed to decide it, else None.

    None means "UTF-8 if the bytes are UTF-8": the page declares UTF-8 or nothing, and holds
    non-ASCII bytes (:func:`_utf8_or_guess` tests them).
    """
    declared = declared_encoding(body, content_type)
    if declared is not None and declared != "utf-8":
        return declared
    if declared is None and (wide := sniff_wide_encoding(body)):
        return wide
    if body.isascii():
        # ASCII is UTF-8: a vectorised test, where a decode builds the page as a str.
        return "utf-8"
    return None


def _utf8_or_guess(body: bytes) -> str:
    """Return ``utf-8`` for UTF-8 bytes, else what ``UnicodeDammit`` guesses (or windows-1252)."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        # Imported here: bs4 costs every crawl's start-up, and only mixed bytes need it.
        from bs4.dammit import UnicodeDammit

        guess = UnicodeDammit(body, ["windows-1252"]).original_encoding
        return (python_codec(guess) if guess else None) or "cp1252"
    return "utf-8"


def decide_encoding(body: bytes, content_type: str | None = None) -> str:
    """Return the codec to read ``body`` with (see the module docstring for the order).

    A declared UTF-8 that the bytes do not satisfy is not trusted: the bytes are then read as
    windows-1252 if they are not UTF-8 at all, or as ``UnicodeDammit`` guesses for mixtures.
    """
    return _decided_without_decoding(body, content_type) or _utf8_or_guess(body)


def _utf8_parser(*, huge: bool) -> lxml.html.HTMLParser:
    name = "huge" if huge else "default"
    parser: lxml.html.HTMLParser | None = getattr(_thread_parsers, name, None)
    if parser is None:
        parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=False, huge_tree=huge)
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
        setattr(_thread_parsers, name, parser)
    return parser


def _reject_binary(body: bytes) -> None:
    # "Only whitespace" without bytes.strip(), which copies a page that ends in a newline.
    if not body or body.isspace():
        raise UnreadablePageError("empty document")
    if body.startswith(_WIDE_BOMS) or sniff_wide_encoding(body):
        return
    head = body[:_SNIFF_BYTES]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if body.startswith(_BINARY_MAGIC) or controls > _BINARY_SHARE * len(head):
        raise UnreadablePageError("binary data, not a text document")


def _utf8_bytes(body: bytes, encoding: str) -> bytes:
    """``body`` as UTF-8 without NUL bytes (UTF-8 bytes are returned as they are, but NULs)."""
    if encoding != "utf-8":
        body = body.decode(encoding, errors="replace").removeprefix("\ufeff").encode("utf-8")
    return body.replace(b"\x00", b"") if b"\x00" in body else body


def _parse(body: bytes, *, huge: bool) -> tuple[lxml.html.HtmlElement, str | None]:
    """Return the tree of ``body`` and why it was cut short (None when it is whole)."""
    parser = _utf8_parser(huge=huge)
    try:
        root = lxml.html.document_fromstring(body, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise UnreadablePageError(f"not an HTML document ({error})") from None
    if root is None:
        raise UnreadablePageError("not an HTML document (no root element)")
    return root, cut_reason(parser)


def _parse_past_limits(body: bytes) -> tuple[bytes, lxml.html.HtmlElement]:
    """Parse ``body`` with ``huge_tree`` (then without ``<font>`` tags if still too deep).

    Returns the bytes parsed and the whole tree, no deeper than the extractors can walk;
    raises :class:`UnreadablePageError` with the reason when no such tree can be built.
    """
    root, cut = _parse(body, huge=True)
    if cut == TOO_DEEP and (unfonted := without_font_tags(body)) is not None:
        body = unfonted
        root, cut = _parse(body, huge=True)
    if cut is None:
        cut = flatten_or_refuse(root)
    if cut is not None:
        raise UnreadablePageError(cut)
    return body, root


def _parse_as_utf8(body: bytes) -> tuple[lxml.html.HtmlElement, str | None, bool] | None:
    """Parse ``body`` as UTF-8: what :func:`_parse` returns, and whether the log vouches for it.

    libxml2 logs every byte sequence that is not UTF-8 (``ERR_INVALID_ENCODING``: bad lead
    bytes, overlong forms, surrogates, past U+10FFFF, cut short), as Python's strict decode
    rejects them; where the log vouches for the bytes, the decode, which builds the page as a
    str only to test it, is spared. It cannot vouch after 100 errors (libxml2 logs no more)
    nor for a parse cut short (bytes past the cut were not read). None when the bytes hold
    NUL (dropped before parsing, a NUL could join a sequence it cut) or lxml refuses them.
    """
    if b"\x00" in body:
        return None
    try:
        root, cut = _parse(body, huge=False)
    except UnreadablePageError:
        return None
    log = _utf8_parser(huge=False).error_log
    vouched = not (
        cut is not None
        or len(log) >= _LOGGED_ERRORS_SHOWN
        or any(entry.type == _INVALID_ENCODING or entry.type == _TOO_MANY_ERRORS for entry in log)
    )
    return root, cut, vouched


def load_document(body: bytes, content_type: str | None = None) -> Document:
    """Parse ``body`` as HTML and return the whole :class:`Document`.

    One lxml parse with libxml2's default limits, under which every tree is whole and at most
    256 levels deep; only a page past them is parsed again (:func:`_parse_past_limits`), and
    a page declared UTF-8 (or undeclared) whose bytes are not UTF-8 (:func:`_parse_as_utf8`).
    Raises :class:`UnreadablePageError` for empty or binary bytes, bytes lxml cannot read,
    and pages lxml could not build whole (the reason says why: ``nested too deeply to parse``
    ...).
    """
    _reject_binary(body)
    encoding = _decided_without_decoding(body, content_type)
    parsed = None
    if encoding is None:
        parsed = _parse_as_utf8(body)
        vouched = parsed is not None and parsed[2]
        encoding = "utf-8" if vouched else _utf8_or_guess(body)
    if parsed is not None and encoding == "utf-8":
        # The bytes are UTF-8 (by the log, else by a decode): that parse is the one wanted.
        root, cut, _ = parsed
    else:
        body = _utf8_bytes(body, encoding)
        root, cut = _parse(body, huge=False)
    if cut in LIFTED_BY_HUGE_TREE:
        body, root = _parse_past_limits(body)
    elif cut is not None:
        raise UnreadablePageError(cut)
    return Document(root=root, body=body, encoding=encoding)


# libxml2 files every ``id`` attribute of an HTML tree (and every ``<a name>``) in the
# document's id table as it parses, which is how XPath's id() finds an element without a
# scan; lxml reads the table's keys through ``_IDDict``, in C, in microseconds where a walk
# reading every ``@id`` costs a tenth of the parse. The walk stands in if a later lxml drops
# that class.
_ID_TABLE = getattr(etree, "_IDDict", None)
_ID_VALUES = etree.XPath(
    "/descendant::*/@id | /descendant::a/@name", smart_strings=False, regexp=False
)


def element_ids(root: lxml.html.HtmlElement) -> list[str]:
    """Return every value ``root``'s document files as an id: each ``@id`` and ``a/@name``.

    As written, in no particular order, from libxml2's id table, filled by the parse (no
    tree walk). A value held by several elements is there once (the walk that stands in may
    list it again); ``id()`` finds the first of them (an ``<a name>`` too, so a caller that
    wants an ``id`` checks the element it gets). Empty for a tree without ids.
    """
    if _ID_TABLE is None:
        return cast("list[str]", _ID_VALUES(root))
    try:
        return cast("list[str]", _ID_TABLE(root.getroottree()).keys())
    except ValueError:  # a document without any id has no table
        return []


def page_scripts(root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Return every ``<script>`` element under ``root``, in page order."""
    return scripts_and_metas(root)[0]


def scripts_and_metas(
    root: lxml.html.HtmlElement,
) -> tuple[list[lxml.html.HtmlElement], list[lxml.html.HtmlElement]]:
    """Return every ``<script>`` and every ``<meta>`` element under ``root``, each in page order.

    One C-level walk for all that scripts tell (Blogger's ids read their text, the JSON-LD
    reader their type; a script's content is one text node, however long) and for the
    microdata ids of ``meta`` elements, which a page without Blogger's data context is asked
    for: a second walk of the whole tree cost as much as the first (16 us on a 150 KB
    page). lxml's iterator filters by name in C, a third cheaper than the XPath
    ``/descendant::script``.
    """
    scripts: list[lxml.html.HtmlElement] = []
    metas: list[lxml.html.HtmlElement] = []
    for element in root.iter("script", "meta"):
        (scripts if element.tag == "script" else metas).append(element)
    return scripts, metas


def decode_text(body: bytes, content_type: str | None = None) -> str:
    """Decode ``body`` to text with the encoding rules of :func:`decide_encoding`, NULs dropped."""
    _reject_binary(body)
    encoding = decide_encoding(body, content_type)
    text = body.decode(encoding, errors="replace")
    return text.removeprefix("\ufeff").replace("\x00", "")
