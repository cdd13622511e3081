"""Whitespace and invisible-character normalisation for one paragraph or field.

Contract: the result has no control characters, no zero-width space, BOM, word joiner or soft
hyphen, no newline or tab, no run of two spaces, and no leading or trailing space. Every
Unicode space separator (NBSP, narrow NBSP, thin space, ideographic space ...) becomes an
ASCII space. ZWJ and ZWNJ are kept only between two characters outside the Latin range
(Indic and Persian words, emoji sequences need them); elsewhere they are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Container
from itertools import compress, repeat
from operator import contains
from typing import AnyStr

from crawler.cleaning.joined_body import texts_hit

# Invisible characters that carry no meaning in stored text: ZWSP, word joiner, BOM,
# soft hyphen, Mongolian vowel separator, plus C0/C1 controls other than whitespace.
_DROPPED = re.compile("[\u200b\u2060\ufeff\u00ad\u180e\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# ZWJ/ZWNJ survive only with a non-Latin character on both sides that is neither a space
# nor another joiner (those are not letters a joiner can join, and a space may be stripped
# away later, which would leave a joiner at the end for the next pass to drop).
_JOINER_OUTSIDE_SCRIPT = re.compile(
    "(?<![^\x00-\u036f\\s\u200c\u200d])[\u200c\u200d]"
    "|[\u200c\u200d](?![^\x00-\u036f\\s\u200c\u200d])"
)

_NEEDS_WORK = re.compile(
    "[\u200b-\u200d\u2060\ufeff\u00ad\u180e\x00-\x1f\x7f-\xa0\u1680\u2000-\u200a"
    "\u2028\u2029\u202f\u205f\u3000]| {2}|^ | $"
)


# ASCII's unprintable characters (C0 controls and DEL), each made NUL by one translation.
_ASCII_CONTROLS_TO_NUL = bytes.maketrans(bytes([*range(0x20), 0x7F]), bytes(0x21))
# The same characters, each looked for on its own in long text.
_ASCII_CONTROLS = tuple(map(chr, [*range(0x20), 0x7F]))
# Length from which ASCII text is searched for each control rather than translated.
_SEARCHED_CHARS = 1024


def printable(text: str) -> bool:
    """Return ``text.isprintable()``, for less on long ASCII text.

    ``str.isprintable`` looks every character up in the Unicode tables (some 25
    instructions a character), ASCII too; ASCII text is printable unless it holds a C0
    control or DEL. Short text: a byte translation of its (copied) bytes making each NUL,
    and a search for NUL (some 10 instructions a character). Long text (a comment thread's
    texts joined): a search for each of the 33 (``memchr``, some 5 instructions a
    character for all, and a few times faster than the translation).
    """
    if not text.isascii():
        return text.isprintable()
    if len(text) >= _SEARCHED_CHARS:
        return not any(map(text.__contains__, _ASCII_CONTROLS))
    return b"\x00" not in text.encode("ascii").translate(_ASCII_CONTROLS_TO_NUL)


def needs_work(text: str) -> bool:
    """Whether ``text`` holds anything :func:`normalize_whitespace` rewrites (else: as is).

    Every character the rewrite touches is a control, format or separator character, none of
    which ``str.isprintable`` accepts but the ASCII space: printable text needs work only for
    its spaces, found by substring tests far cheaper than a regular-expression scan.
    """
    if text.isprintable():
        return "  " in text or text.startswith(" ") or text.endswith(" ")
    return _NEEDS_WORK.search(text) is not None


def normalize_whitespace(text: str) -> str:
    """Return ``text`` with invisible characters dropped and whitespace collapsed to single spaces.

    Pure and idempotent; an all-whitespace input gives ``""``.
    """
    if text.isprintable():
        if "  " in text or text.startswith(" ") or text.endswith(" "):
            return " ".join(text.split())
        return text  # fast path: ordinary text needs no rewriting
    if "\n" in text:
        flat = text.replace("\n", " ")
        if flat.isprintable():
            # Printable but for its line breaks: nothing to drop (every dropped character and
            # joiner is unprintable), only its whitespace runs to rewrite; the body splitter's
            # lines (already collapsed) need no more than the line breaks made spaces.
            if "  " in flat or flat.startswith(" ") or flat.endswith(" "):
                return " ".join(flat.split())
            return flat
    if not _NEEDS_WORK.search(text):
        return text
    text = _DROPPED.sub("", text)
    if "\u200c" in text or "\u200d" in text:
        # The joiner check must see the neighbours as they will be, so it runs after dropping.
        text = _JOINER_OUTSIDE_SCRIPT.sub("", text)
    # Any whitespace run (str.isspace: tabs, newlines, NBSP, U+2000..U+200A, U+202F, U+3000
    # ...) becomes one space, and the ends are trimmed.
    return " ".join(text.split())


# Join ASCII texts for one test of them all (normalize_ascii_texts): a printable mark between
# two spaces, so that a text that starts or ends with a space puts two spaces next to it. When
# no text holds the mark, the joined text splits back into the texts and a hit's text is the
# number of marks before it; the first mark no text holds is used (code holds "|").
_ASCII_MARKS = "|~^`"


def normalize_ascii_texts(texts: list[str]) -> list[str]:
    """Return :func:`normalize_whitespace` of each of the ASCII ``texts``, in order.

    ``texts`` itself when every text is its own result. Texts are tested joined: a text
    needs more than its line breaks made spaces only when it holds a double space, a space
    at an end, or an unprintable character other than a line break, each of which one search
    of the joined text (line breaks made spaces) finds; only those texts are rewritten one by
    one; of the rest (most texts), those with a line break (the collapsed ``<br>`` lines of a
    comment) get their breaks made spaces.
    """
    mark = _ASCII_MARKS[0]
    joined = f" {mark} ".join(texts)
    lined = "\n" in joined
    flat = joined.replace("\n", " ") if lined else joined
    clean = printable(flat)
    double = flat.find("  ")
    if clean and double < 0 and flat[:1] != " " and flat[-1:] != " ":
        # Settled: no text needs more than its line breaks made spaces (the tests of the
        # joined text hold for each text, whatever marks they hold: no mark is counted).
        return _lines_made_spaces(texts, texts.copy(), ()) if lined else texts
    if flat.count(mark) != len(texts) - 1:
        # A text holds the mark: joined again by the first mark none holds.
        mark = next((other for other in _ASCII_MARKS[1:] if other not in joined), "")
        if not mark:
            return [normalize_whitespace(text) for text in texts]
        # Every mark is one character: the texts keep their places, the tests their answers.
        flat = f" {mark} ".join(texts)
        if lined:
            flat = flat.replace("\n", " ")
    results = texts.copy()
    marked = _marked_texts(flat, mark, clean, double)
    for index in marked:
        results[index] = normalize_whitespace(texts[index])
    return _lines_made_spaces(texts, results, marked) if lined else results


def _lines_made_spaces(texts: list[str], results: list[str], done: Container[int]) -> list[str]:
    """Return ``results`` with the line breaks of ``texts`` made spaces, but in those ``done``.

    Each text holding one (found in C) is put in ``results`` with its breaks made spaces.
    """
    for index in compress(range(len(texts)), map(contains, texts, repeat("\n"))):
        if index not in done:
            results[index] = texts[index].replace("\n", " ")
    return results


def _marked_texts(flat: str, mark: str, clean: bool, double: int) -> set[int]:
    """Return the indices of the texts joined in ``flat`` that need more than it shows.

    ``flat``: ASCII texts joined by ``mark`` between spaces (no text holds the mark), line
    breaks made spaces; ``clean``: whether ``flat`` is printable; ``double``: where its
    first double space is (-1: none). A text needs its own rewrite when it holds a double
    space (or two spaces meet at its edge: it starts or ends with a space) or an unprintable
    character.
    """
    marked: set[int] = set()
    if flat[:1] == " ":
        marked.add(0)
    if flat[-1:] == " ":
        marked.add(flat.count(mark))
    _mark_hits(flat, "  ", mark, marked, double)
    if not clean:
        controls = flat.encode("ascii").translate(_ASCII_CONTROLS_TO_NUL)
        _mark_hits(controls, b"\x00", mark.encode("ascii"), marked, controls.find(b"\x00"))
    return marked


def _mark_hits(flat: AnyStr, needle: AnyStr, mark: AnyStr, marked: set[int], start: int) -> None:
    """Add to ``marked`` the index of each text of ``flat`` that holds ``needle``.

    ``start`` is where ``needle`` is first found (-1: nowhere); ``flat`` is the joined text
    or its ASCII bytes (the same positions). See :func:`joined_body.texts_hit`.
    """
    marked.update(texts_hit(flat, mark, start, lambda position: flat.find(needle, position)))
