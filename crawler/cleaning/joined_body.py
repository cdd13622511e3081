"""A body's cleaned paragraphs joined once, for the passes that read the whole body."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import AnyStr

JOINER = "\x00"
"""Joins the paragraphs: a control, which no cleaned paragraph holds (a text holding one shows
as more paragraphs than joined), which NFKC and case folding leave as it is with the text on
either side of it apart, and which is no letter, digit or space."""


class JoinedBody:
    """``paragraphs`` joined by :data:`JOINER` and its Latin-1 bytes, each made once if asked.

    The repeat test's sketches and the boilerplate scans each read the whole body; joining
    and encoding it once for both spares a pass over it each. ``paragraphs`` must not change
    while this is used.
    """

    __slots__ = ("_latin1", "_text", "paragraphs")

    def __init__(self, paragraphs: Sequence[str]) -> None:
        self.paragraphs = paragraphs
        self._text: str | None = None
        self._latin1: bytes | None = None

    def text(self) -> str:
        """Return the paragraphs joined by :data:`JOINER`."""
        if self._text is None:
            self._text = JOINER.join(self.paragraphs)
        return self._text

    def latin1(self) -> bytes:
        """Return :meth:`text` encoded as Latin-1, each character outside Latin-1 left out.

        A Latin-1 text is copied as it is. What is left out can only bring ASCII letters
        together, never part them, and each character outside ASCII that stays is one byte
        outside ASCII: the ASCII letters and digits read in order, as in the text.
        """
        if self._latin1 is None:
            self._latin1 = self.text().encode("latin-1", "ignore")
        return self._latin1


def texts_hit(
    flat: AnyStr, mark: AnyStr, start: int, next_hit: Callable[[int], int]
) -> Iterator[int]:
    """Yield the index of each text of ``flat`` (texts joined by ``mark``) that holds a hit.

    ``start`` is where the first hit is (-1: none); ``next_hit(position)`` is where the first
    hit at or after ``position`` is (-1: none). A hit's text is the number of marks before
    it; the search goes on from the next mark, so a text with many hits costs one. No text
    may hold ``mark`` (else an index may pass the last text).
    """
    index = position = 0
    while start >= 0:
        index += flat.count(mark, position, start)
        yield index
        position = flat.find(mark, start)
        if position < 0:
            return
        start = next_hit(position)
