"""Regular-expression searches of whole pages anchored on a literal, found by ``bytes.find``.

(Or ``str.find``: a :class:`LiteralLed` over text, such as a script's, works the same way.
Patterns are compiled ASCII-only, so that a text pattern's digit, word and space classes
match what they match in bytes.)

``re`` looks for where a match may start position by position (a pattern that opens with a
character class, such as ``['"]pageType``, even tries every position in full); ``bytes.find``
uses a vectorised substring search that is several times faster over a page of hundreds of
KB. A :class:`LiteralLed` pattern states a literal ``anchor`` that every match holds at a
fixed ``offset`` from its start; it is searched by finding each occurrence of the anchor and
trying the pattern at that offset before it, which gives the same matches as ``re``'s own
search and finditer (candidates are tried left to right, and none is skipped).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import AnyStr, Generic


class LiteralLed(Generic[AnyStr]):
    """A ``pattern`` every match of which holds ``anchor`` ``offset`` bytes (characters) in."""

    def __init__(self, pattern: AnyStr, anchor: AnyStr, offset: int = 0) -> None:
        """Compile ``pattern``; ``anchor`` (not empty) must sit at ``offset`` in every match."""
        if not anchor:
            raise ValueError("the anchor must not be empty")
        self.pattern: re.Pattern[AnyStr] = re.compile(pattern, re.ASCII)
        self.anchor: AnyStr = anchor
        self.offset = offset

    def search(self, data: AnyStr) -> re.Match[AnyStr] | None:
        """Return the leftmost match in ``data`` (as ``pattern.search``), or None."""
        for match in self._matches_at_anchors(data):
            return match
        return None

    def finditer(self, data: AnyStr) -> Iterator[re.Match[AnyStr]]:
        """Yield the non-overlapping matches in ``data``, left to right (as ``finditer``)."""
        end = 0
        for match in self._matches_at_anchors(data):
            if match.start() >= end:
                end = max(match.end(), match.start() + 1)
                yield match

    def _matches_at_anchors(self, data: AnyStr) -> Iterator[re.Match[AnyStr]]:
        at = data.find(self.anchor, self.offset)
        while at >= 0:
            match = self.pattern.match(data, at - self.offset)
            if match is not None:
                yield match
            at = data.find(self.anchor, at + 1)


def find_by_rare_byte(data: bytes, literal: bytes, rare: int, *, budget: int = 48) -> int:
    """Return ``data.find(literal)``, looked for at the occurrences of its byte ``literal[rare]``.

    For a literal that is mostly absent, and that holds a byte pages seldom hold (the ``+`` of
    ``application/ld+json``): that byte is found by ``memchr``, several times faster than
    ``bytes.find``'s search for the whole literal, and the literal is tried where it sits.
    After ``budget`` tries the plain search goes on from there, so a page full of that byte
    costs at most ``budget`` tries more. Occurrences are tried left to right, and a match
    before the one at which the plain search resumes would have been tried already: the answer
    is the leftmost match, as ``data.find``'s.
    """
    if not 0 <= rare < len(literal):
        raise ValueError("rare must index a byte of the literal")
    byte = literal[rare : rare + 1]
    at = data.find(byte, rare)
    while at >= 0 and budget > 0:
        if data.startswith(literal, at - rare):
            return at - rare
        budget -= 1
        at = data.find(byte, at + 1)
    return -1 if at < 0 else data.find(literal, at - rare)
