"""Lossless mojibake repair: UTF-8 bytes that were decoded as cp1252 or Latin-1.

``ftfy`` undoes this kind of damage when every byte survived (``Itâ€™s``, double-encoded
``ItÃ¢â‚¬â„¢s``, Latin-1 ``cafÃ©``). It is only called when the text contains a tell-tale pair
(a UTF-8 lead byte seen as cp1252 followed by a continuation byte seen as cp1252), so clean
text costs one regex scan. ftfy's quote straightening, HTML unescaping, width folding and
ligature splitting are switched off: the typographic ``’ “ ” —`` of clean text must survive,
and the parser has already unescaped HTML.

Damage that lost bytes (a lone ``â``, ``â¦``, ``â€`` + nothing) is left for
:mod:`crawler.cleaning.lossy_quotes`, whose remnant repair must run before this.
"""

from __future__ import annotations

import re

from crawler.cleaning.ftfy_shortcut import fix_line

# A UTF-8 continuation byte 0x80..0xBF as it looks after decoding with cp1252 (where defined)
# or Latin-1: the C1 controls U+0080..U+009F for 0x80..0x9F. Both occur: text read as Latin-1
# turns "’" (E2 80 99) into "â\x80\x99", and that must reach ftfy rather than be masked as
# a lone "â".
CONTINUATION = "".join(
    sorted(
        {bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0xC0)}
        | {chr(b) for b in range(0x80, 0xA0)}
    )
)
"""The 91 characters a UTF-8 continuation byte can turn into when misread (cp1252 or Latin-1)."""
_CONTINUATION_CLASS = "[" + re.escape(CONTINUATION) + "]"

# Lead bytes 0xC2..0xF4 decode to the same characters in cp1252 and Latin-1 ("Â".."ô").
# Surrogates (from JSON "\ud83d\ude00" escapes or surrogateescape decoding) also go to ftfy,
# which joins pairs and turns a lone one into U+FFFD, so the text can be stored as UTF-8.
_SUSPICIOUS = re.compile("[\u00c2-\u00f4]" + _CONTINUATION_CLASS + "|[\ud800-\udfff]")


# A lone "â" (lossy damage) is not followed by the two continuation characters a complete
# E2 xx xx sequence needs. Next to Latin-1 mojibake it makes ftfy give up on the whole
# segment ("cafÃ©â…" stays broken), so it is hidden behind a noncharacter while ftfy runs.
_LONE_CIRCUMFLEX = re.compile("â(?!" + _CONTINUATION_CLASS + "{2})")
_MASK = "\ufdd0"


def _byte_trie(encodings: set[bytes]) -> bytes:
    """Return a pattern matching exactly ``encodings`` (prefix-free), branching byte by byte.

    An alternation of whole encodings makes the engine try each in turn wherever the text
    holds a lead; a tree of byte classes rejects a follower with one or two tests.
    """
    groups: dict[int, set[bytes]] = {}
    for encoded in encodings:
        groups.setdefault(encoded[0], set()).add(encoded[1:])
    ends = [first for first, rests in sorted(groups.items()) if rests == {b""}]
    branches = [
        re.escape(bytes([first])) + _byte_trie(rests)
        for first, rests in sorted(groups.items())
        if rests != {b""}
    ]
    if ends:
        branches.insert(0, b"[" + b"".join(re.escape(bytes([first])) for first in ends) + b"]")
    return b"(?:" + b"|".join(branches) + b")"


# _SUSPICIOUS's lead-and-continuation pairs, as the UTF-8 bytes of the text spell them: a lead
# "Â".."ô" is C3 82..C3 B4, so the search runs from a literal byte, which the regular-expression
# engine finds by a fast scan (a character-class search costs some 40 ns a character). The
# followers branch byte by byte: most Latin-1 letters are such a lead, and a text in French or
# Vietnamese holds one in every few characters.
SUSPICIOUS_UTF8_PATTERN = b"\xc3[\x82-\xb4]" + _byte_trie({c.encode("utf-8") for c in CONTINUATION})
"""A lead-and-continuation pair of ``_SUSPICIOUS`` as a bytes pattern over UTF-8 text."""
_SUSPICIOUS_UTF8 = re.compile(SUSPICIOUS_UTF8_PATTERN)

# Each pair's bytes start with C3, a byte 82-B4 (both from the lead) and the first byte of a
# continuation character's UTF-8 (C2, C5, C6, CB or E2). One translation without deletions
# (a table lookup a byte) marks those three classes, and a search of the marks for the three
# in a row finds where a pair may start: French or Vietnamese text holds C3 every few bytes,
# at each of which the expression's literal scan stops and tries the followers (some 3 ns a
# byte there); a letter right before a typographic character is rare.
_FOLLOWER_FIRST_BYTES = bytes(sorted({c.encode("utf-8")[0] for c in CONTINUATION}))
_PAIR_CLASSES = bytes(
    ord("L") if b == 0xC3 else ord("c") if 0x82 <= b <= 0xB4 else
    ord("F") if b in _FOLLOWER_FIRST_BYTES else ord(".")
    for b in range(256)
)  # fmt: skip
_PAIR_START = b"LcF"


# Text in which the classes pay: the translation costs a pass over every byte (some 0.3 ns
# a byte), the expression's scan a stop at each C3 only (English with curly quotes holds
# few). A text whose first _SAMPLE_BYTES hold more than _DENSE_LEADS C3 is taken as dense.
_SAMPLE_BYTES = 1024
_DENSE_LEADS = 16


def pair_classes(data: bytes) -> bytes | None:
    """Return ``data`` with each byte made its class, for :func:`find_pair`.

    ``None`` when ``data`` holds few pair leads (C3), where the expression alone is cheaper.
    """
    if data.count(b"\xc3", 0, _SAMPLE_BYTES) <= _DENSE_LEADS:
        return None
    return data.translate(_PAIR_CLASSES)


def find_pair(data: bytes, classes: bytes | None, start: int = 0) -> int:
    """Return where the first mojibake pair of the UTF-8 ``data`` at or after ``start`` is.

    -1 when there is none: ``_SUSPICIOUS_UTF8.search(data, start)``'s start, for less.
    ``classes``: :func:`pair_classes` of ``data``. Only where the classes spell the start
    of a pair is the expression tried.
    """
    if classes is None:
        found = _SUSPICIOUS_UTF8.search(data, start)
        return -1 if found is None else found.start()
    position = classes.find(_PAIR_START, start)
    while position >= 0 and _SUSPICIOUS_UTF8.match(data, position) is None:
        position = classes.find(_PAIR_START, position + 1)
    return position


def looks_mojibaked(text: str) -> bool:
    """Return True when ``text`` contains a UTF-8-read-as-cp1252 character pair.

    Or a surrogate. Equivalent to searching ``_SUSPICIOUS`` in ``text``, done faster.
    """
    if text.isascii():
        return False  # every suspicious character is outside ASCII
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return True  # only a surrogate cannot be encoded
    return _SUSPICIOUS_UTF8.search(data) is not None


def repair_lossless(text: str) -> str:
    """Return ``text`` with byte-complete mojibake decoded; other text is returned unchanged.

    Output is NFC when ftfy ran; callers normalise the rest.
    """
    if not looks_mojibaked(text):
        return text
    masked = _MASK not in text and "â" in text
    if masked:
        text = _LONE_CIRCUMFLEX.sub(_MASK, text)
    fixed = _ftfy_lines(text)
    return fixed.replace(_MASK, "â") if masked else fixed


def _ftfy_lines(text: str) -> str:
    """Return ``ftfy.fix_text(text)`` with this module's options, for less.

    ftfy fixes text one line at a time (a segment ends after each newline), so lines fixed
    apart give what the whole gives: each by :func:`~crawler.cleaning.ftfy_shortcut.fix_line`
    (ftfy's steps without its whole-line rescans). An ASCII line without control characters
    is left as it is by every step ftfy runs here (its mojibake repair returns ASCII at once;
    C1 controls, surrogates, terminal escapes, control characters, carriage returns and line
    separators are unprintable; NFC keeps ASCII), so it is not even looked at: a paragraph
    of ``<br>`` lines is mostly clean lines.
    """
    if "\n" not in text:
        return fix_line(text)
    lines = text.split("\n")
    last = len(lines) - 1
    fixed: list[str] = []
    for index, line in enumerate(lines):
        segment = line if index == last else line + "\n"
        fixed.append(segment if line.isascii() and line.isprintable() else fix_line(segment))
    return "".join(fixed)
