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
