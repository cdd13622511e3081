"""ftfy's repair of one line, with ftfy's own steps but without its whole-line rescans.

``ftfy.fix_text`` (with :data:`FTFY_CONFIG`) costs some 150 µs on a 200-character line
holding one mojibake sequence, though its answer comes from a few characters: each of its
passes searches the whole line with its badness expression, tests the line against ten
encodings' character sets with expressions, and runs every fixer (its control-character
table alone costs 10 µs a pass). :func:`fix_line` takes ftfy's steps in ftfy's order, but:

* *badness* (``ftfy.badness.is_bad``) is searched only around the runs of non-ASCII
  characters (:func:`looks_bad`): every match of the expression holds one and is at most
  :data:`_BADNESS_SPAN` characters long, so that finds the same;
* whether an encoding can represent the line is found by encoding it (which the step does
  next anyway), not by a full match of the encoding's character class;
* a fixer is run only on text holding a character it acts on (:func:`_untouched_by_fixers`),
  and NFC only on text that is not NFC.

The steps themselves (the order of encodings, the byte repairs, the decode of embedded
UTF-8, the Latin-1 and C1 repairs, the loops to a fixed point) are ftfy's, read in the
version :data:`_VERIFIED_FTFY` (``ftfy/__init__.py``: ``fix_and_explain``,
``fix_encoding_and_explain``, ``_fix_encoding_one_step_and_explain``) and call ftfy's own
functions. With any other ftfy version every line goes to ``ftfy.fix_text`` (:data:`ENABLED`
is off; the tests check that, and skip, with a reason saying what to reread, the tests of
ftfy's expressions that only the version read must pass), so a new ftfy release is safe
though slower until its steps are read and :data:`_VERIFIED_FTFY` updated.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from re import _parser as _sre_parser  # type: ignore[attr-defined]
from typing import Any, AnyStr

import ftfy
from ftfy import fixes
from ftfy.badness import BADNESS_RE
from ftfy.chardata import (
    ALTERED_UTF8_RE,
    C1_CONTROL_RE,
    CHARMAP_ENCODINGS,
    LOSSY_UTF8_RE,
    UTF8_DETECTOR_RE,
)

FTFY_CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    unescape_html=False,
    fix_character_width=False,
    fix_latin_ligatures=False,
    normalization="NFC",
    explain=False,
)
"""ftfy's options for cleaning: mojibake repair only, typographic characters and widths kept.

(Its HTML unescaping, quote straightening, width folding and ligature splitting are off:
the typographic ``’ “ ” —`` of clean text must survive, and the parser has unescaped HTML.)
"""

_VERIFIED_FTFY = "6.3.1"
"""The ftfy version whose steps :func:`fix_line` takes; under any other the shortcut is off."""
ENABLED = ftfy.__version__ == _VERIFIED_FTFY

_BADNESS_SPAN = 7
"""The longest match of ftfy's badness expression (``ГўВЂВ.[A-Za-z ]``; a test checks it)."""

_NON_ASCII = re.compile("[\x80-\U0010ffff]")

# Characters one of ftfy's fixers changes or drops: C1 controls (fix_c1_controls), ASCII
# controls but tab and line feed (remove_control_chars, fix_line_breaks' CR,
# remove_terminal_escapes' ESC), line and paragraph separators, the deprecated format
# characters, BOM, interlinear annotations, the object replacement character, surrogates.
_FIXED_BY_FIXERS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u206a-\u206f\ufeff\ufff9-\ufffc\ud800-\udfff]"
)


def fix_line(line: str) -> str:
    """Return ``ftfy.fix_text(line, FTFY_CONFIG)``; ``line`` holds no newline but at its end.

    Pure. ftfy fixes each line apart (a segment ends after a newline), so a text is fixed
    line by line with this.
    """
    if not ENABLED or len(line) > FTFY_CONFIG.max_decode_length:
        return ftfy.fix_text(line, FTFY_CONFIG)
    text = line
    while True:  # ftfy's fix_and_explain
        before = text
        text = encoded = _fixed_encoding(text)
        if not _untouched_by_fixers(text):
            text = fixes.fix_c1_controls(text)
            text = fixes.fix_line_breaks(text)
            text = fixes.fix_surrogates(text)
            text = fixes.remove_terminal_escapes(text)
            text = fixes.remove_control_chars(text)
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        if text in (before, encoded):
            # Unchanged: done. Or changed by the encoding steps alone, to a text that they
            # (it is their fixed point), the fixers and NFC all keep: ftfy's next round
            # would change nothing and end there.
            return text


def looks_bad(text: str) -> bool:
    """Return ``ftfy.badness.is_bad(text)``, searching only around the non-ASCII characters."""
    return _looks_bad_in(text, _windows(text), _non_ascii_characters(text))


_ASCII = frozenset(map(chr, range(0x80)))


def _non_ascii_characters(text: str) -> frozenset[str]:
    """Return the distinct characters of ``text`` outside ASCII.

    Found by a scan that makes a string of each such character, which costs some 80 ns one
    outside Latin-1; a text mostly outside ASCII (Cyrillic, Greek, CJK) is made a set whole
    for less (some 45 ns a character, ASCII too).
    """
    if (len(text) - len(text.encode("ascii", "ignore"))) * 2 > len(text):
        return frozenset(text).difference(_ASCII)
    return frozenset(_NON_ASCII.findall(text))


Windows = list[tuple[int, int, str]]
"""Spans of a text (start, end) that hold every match of the expressions searched in them,
each with its one non-ASCII character when it holds only one (else ``""``)."""


def _windows(text: str) -> Windows:
    """Return the spans of ``text`` within :data:`_BADNESS_SPAN` of a run of non-ASCII characters.

    Every match of ftfy's badness expression, of its UTF-8 detector (each repeated unit of
    it) and of its byte expressions holds a character outside ASCII (for the bytes: a byte
    that only such a character encodes to, in a one-byte encoding, where a text's positions
    are its bytes') and spans at most :data:`_BADNESS_SPAN`, so it lies within one of these
    windows: a run's neighbourhood reaching that far either side, overlapping ones merged.
    A text with so many runs that their windows would cover it or nearly is one window.
    """
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if non_ascii * 2 * _BADNESS_SPAN >= len(text):
        return [(0, len(text), "")]
    windows: Windows = []
    for found in _NON_ASCII.finditer(text):  # one character a match: a faster scan than runs
        start = max(found.start() - _BADNESS_SPAN + 1, 0)
        end = min(found.end() + _BADNESS_SPAN - 1, len(text))
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end, "")
        else:
            windows.append((start, end, found.group()))
    return windows


def _search(pattern: re.Pattern[AnyStr], data: AnyStr, windows: Windows) -> bool:
    """Whether ``pattern`` matches in ``data``, searched within ``windows`` (see :func:`_windows`).

    None of the expressions has a lookahead, a word boundary or a ``$``, so what one matches
    within a window it matches in the whole; a lookbehind still sees the text before the
    window, and ``^`` matches only at the true start, whatever position a search starts from.
    """
    return any(pattern.search(data, start, end) for start, end, _ in windows)


# The characters a badness match may hold as its only non-ASCII one: C1 controls, "Â", "Ã",
# "Œ", "œ" (the alternatives with one item that matches only such characters; a test reads
# the expression). A window around any other lone non-ASCII character holds no match.
_BADNESS_LONE = frozenset(map(chr, range(0x80, 0xA0))) | frozenset("ÂÃŒœ")


def _looks_bad_in(text: str, windows: Windows, characters: frozenset[str]) -> bool:
    """Return ``ftfy.badness.is_bad(text)`` for ``windows`` of ``text`` (see :func:`_windows`).

    ``characters``: the text's characters outside ASCII (:func:`_non_ascii_characters`).
    """
    # The few non-ASCII characters are looked up: not every character.
    pattern = _badness_for(_BADNESS_CHARACTERS.intersection(characters))
    return pattern is not None and any(
        pattern.search(text, start, end)
        for start, end, lone in windows
        if not lone or lone in _BADNESS_LONE
    )


# ftfy's badness expression is an alternation of some forty alternatives, each tried at every
# position of the text searched: about 0.4 us a character, 30 us for a line of German or
# French, where the non-ASCII characters are so dense that the windows cover the whole line.
# But each alternative names non-ASCII characters of which a match needs one for each of
# some of its items (a test reads the expression: every alternative has such an item), and a
# text holds few of them: only the alternatives that may match in it are searched for.


def _badness_alternatives() -> list[tuple[str, list[frozenset[str]]]] | None:
    """Return ftfy's badness alternatives, each with the character sets it needs one of each.

    An alternative needs a character of each of its items that match one character, and only
    characters outside ASCII.

    The alternatives are the expression's source split at its lines holding only ``|``
    (verbose syntax, which ftfy writes); ``None`` (search the whole expression) unless every
    part is an expression that needs some non-ASCII character.
    """
    if not BADNESS_RE.flags & re.VERBOSE:
        return None
    alternatives: list[tuple[str, list[frozenset[str]]]] = []
    for source in _ALTERNATIVE_LINE.split(BADNESS_RE.pattern):
        try:
            parsed = _sre_parser.parse(source, BADNESS_RE.flags)
        except re.error:  # not split at the top level
            return None
        needs = [
            frozenset(needed) for op, value in parsed.data if (needed := _non_ascii(op, value))
        ]
        if not needs:
            return None
        alternatives.append((source, needs))
    return alternatives


_ALTERNATIVE_LINE = re.compile(r"\n[ \t]*\|[ \t]*\n")


def _non_ascii(op: object, value: Any) -> set[str]:
    """Return the characters of the item ``(op, value)`` when they are all outside ASCII.

    That is, when the expression item matches one character, and only such characters; else
    an empty set.
    """
    if op is _sre_parser.LITERAL:
        return {chr(value)} if value >= 0x80 else set()
    if op is not _sre_parser.IN:
        return set()
    found: set[str] = set()
    for kind, argument in value:
        if kind is _sre_parser.LITERAL and argument >= 0x80:
            found.add(chr(argument))
        elif kind is _sre_parser.RANGE and argument[0] >= 0x80:
            found.update(map(chr, range(argument[0], argument[1] + 1)))
        else:  # a negation, a category, an ASCII character: not only outside ASCII
            return set()
    return found


_BADNESS_ALTERNATIVES = _badness_alternatives()
_BADNESS_CHARACTERS: frozenset[str] = (
    frozenset().union(*(need for _, needs in _BADNESS_ALTERNATIVES for need in needs))
    if _BADNESS_ALTERNATIVES is not None
    else frozenset()
)
"""Every character some alternative needs (the others tell nothing about a text's badness)."""


@functools.lru_cache(maxsize=1024)
def _badness_for(present: frozenset[str]) -> re.Pattern[str] | None:
    """Return an expression matching where ftfy's badness expression does (``None``: nowhere).

    For texts whose characters among :data:`_BADNESS_CHARACTERS` are ``present``: the
    alternatives that find a character of each set they need. (Bounded caches: pages repeat
    a few such sets.)
    """
    if _BADNESS_ALTERNATIVES is None:
        return BADNESS_RE
    return _alternatives_pattern(
        tuple(
            index
            for index, (_, needs) in enumerate(_BADNESS_ALTERNATIVES)
            if all(not need.isdisjoint(present) for need in needs)
        )
    )


@functools.lru_cache(maxsize=256)
def _alternatives_pattern(indices: tuple[int, ...]) -> re.Pattern[str] | None:
    """Return the expression of the badness alternatives ``indices`` (``None`` for none)."""
    if not indices:
        return None
    if _BADNESS_ALTERNATIVES is None or len(indices) == len(_BADNESS_ALTERNATIVES):
        return BADNESS_RE
    sources = [_BADNESS_ALTERNATIVES[index][0] for index in indices]
    return re.compile("|".join(sources), BADNESS_RE.flags)


def _untouched_by_fixers(text: str) -> bool:
    """Whether every fixer ftfy runs after its encoding steps leaves ``text`` as it is."""
    if text.isprintable():  # no control, format, separator or surrogate character
        return "\ufffc" not in text  # the one character a fixer drops that is printable
    return _FIXED_BY_FIXERS.search(text) is None


def _fixed_encoding(text: str) -> str:
    """Return ftfy's ``fix_encoding(text)``: its encoding step, repeated until nothing changes."""
    while True:
        fixed = _encoding_step(text)
        if fixed == text:
            return text
        text = fixed


def _encoding_step(text: str) -> str:
    """Return ftfy's ``_fix_encoding_one_step_and_explain(text).text`` (its default config)."""
    if not text or text.isascii():
        return text
    windows = _windows(text)
    # Both the badness test and the encodings need the text's characters: found once.
    characters = _non_ascii_characters(text)
    if not _looks_bad_in(text, windows, characters):
        return text
    possible = _possible_encodings(text, characters)
    for encoding in possible:
        data = text.encode(encoding)
        byte_windows = windows  # one byte a character, ASCII as itself
        if encoding != "macroman" and _search(ALTERED_UTF8_RE, data, byte_windows):
            data = fixes.restore_byte_a0(data)
            byte_windows = [(0, len(data), "")]  # the repair may move bytes
        if (
            encoding.startswith("sloppy")
            and (_LOSSY_MARK in data or b"?" in data)
            and _search(LOSSY_UTF8_RE, data, byte_windows)
        ):
            data = fixes.replace_lossy_sequences(data)
        decoding = "utf-8-variants" if 0xED in data or 0xC0 in data else "utf-8"
        try:
            return data.decode(decoding)
        except UnicodeDecodeError:
            pass
    fixed = _decoded_inconsistent_utf8(text, windows)
    if fixed != text:
        return fixed
    # ftfy returns the text as it is here when "windows-1252" is among the possible
    # encodings, which it never is (its list names "sloppy-windows-1252"): not reproduced.
    if "latin-1" in possible:
        try:
            fixed = text.encode("latin-1").decode("windows-1252")
        except UnicodeDecodeError:
            pass
        else:
            if fixed != text:
                return fixed
    if C1_CONTROL_RE.search(text):
        return fixes.fix_c1_controls(text)
    return text


# Every match of ftfy's lossy-sequence expression holds byte 1A (what a sloppy codec makes of
# U+FFFD) or "?" (a test reads the expression): a text encoded without either has none, which
# two byte searches tell for less than the expression's search (10 us on a line of German).
_LOSSY_MARK = b"\x1a"


# What ftfy's possible_encoding accepts besides ASCII but "\x1a": the characters its bytes
# 80..FF and 1A decode to (the sloppy codecs give 1A to U+FFFD).
_CHARACTER_SETS = {
    encoding: frozenset(bytes([*range(0x80, 0x100), 0x1A]).decode(encoding))
    for encoding in CHARMAP_ENCODINGS
}


def _possible_encodings(text: str, characters: frozenset[str]) -> list[str]:
    """Return ftfy's one-byte encodings that can represent ``text``, in ftfy's order.

    ftfy's ``possible_encoding`` matches the whole text against a class of the encoding's
    characters, ASCII but byte 1A and the above; here only the text's few distinct
    non-ASCII ``characters`` (:func:`_non_ascii_characters`) are looked up.
    """
    if "\x1a" in text:
        characters |= {"\x1a"}
    return _encodings_for(characters)


@functools.lru_cache(maxsize=1024)
def _encodings_for(characters: frozenset[str]) -> list[str]:
    """Return the encodings of :func:`_possible_encodings` for a text of these characters.

    (Bounded cache: damaged lines repeat a few sets of characters; callers do not change
    the list.)
    """
    return [
        encoding for encoding in CHARMAP_ENCODINGS if characters.issubset(_CHARACTER_SETS[encoding])
    ]


def _decoded_inconsistent_utf8(text: str, windows: Windows) -> str:
    """Return ftfy's ``decode_inconsistent_utf8(text)``, its matches found within ``windows``.

    ftfy replaces each match of its UTF-8 detector that is shorter than the text and looks
    bad by its ``fix_encoding``. A match is a chain of units, each a non-ASCII character and
    up to three more: it starts in a window and, the gaps between its non-ASCII characters
    being shorter than the windows' reach, ends in the same one; the scan of each window from
    its start meets the matches the scan of the whole meets, in the same order.
    """
    parts: list[str] = []
    position = 0
    for start, end, _ in windows:
        for match in UTF8_DETECTOR_RE.finditer(text, start, end):
            found = match.group()
            if len(found) < len(text) and (fixed := _fixed_match(found)) is not None:
                parts.append(text[position : match.start()])
                parts.append(fixed)
                position = match.end()
    if not parts:
        return text
    parts.append(text[position:])
    return "".join(parts)


_CACHED_MATCH_CHARS = 64
"""The longest match of the UTF-8 detector whose repair is kept (a damaged word is shorter)."""


def _fixed_match(found: str) -> str | None:
    """Return ``_fixed_encoding(found)`` for a detector match that looks bad, else ``None``.

    The same few damaged sequences (``â€™``, ``â€œ``, ``Ã©`` ...) recur in every damaged
    line of a page, and each repair costs two encoding steps: short matches are repaired
    once (a bounded cache of a pure function).
    """
    if len(found) > _CACHED_MATCH_CHARS:
        return _fixed_encoding(found) if looks_bad(found) else None
    return _cached_fixed_match(found)


@functools.lru_cache(maxsize=4096)
def _cached_fixed_match(found: str) -> str | None:
    return _fixed_encoding(found) if looks_bad(found) else None
