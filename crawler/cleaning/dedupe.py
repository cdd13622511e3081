"""Removal of repeated paragraphs (a template or a feed that printed the body twice).

Two paragraphs are repeats when their *keys* are equal: NFKC, casefolded, with every ``â``
(damaged or not) and every character that is not a letter or digit removed. So copies that
differ only in whitespace, case, punctuation or mojibake are recognised. Only paragraphs
whose key has at least :data:`MIN_KEY_CHARS` characters are deduplicated: short lines
legitimately repeat, such as ``Q:`` or a speaker label ``Sunshine:`` in interviews, or a
refrain in song lyrics (``想念你 想念你 Xiang nian ni xiang nian ni``, 30 key characters).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

MIN_KEY_CHARS = 40
"""Key length (letters and digits) below which a paragraph is never treated as a repeat."""

_NOT_KEY = re.compile(r"[\W_â]+")


# ASCII bytes that are not a letter or digit once lower-cased: what _NOT_KEY removes there.
_ASCII_NOT_KEY = bytes(b for b in range(128) if not chr(b).isalnum() or chr(b).isupper())


def paragraph_key(paragraph: str) -> str:
    """Return the comparison key of ``paragraph`` (letters and digits only, casefolded)."""
    if paragraph.isascii():
        # The same key without the regular-expression engine: ASCII is NFKC already,
        # casefolds to lower case, and \w there is [A-Za-z0-9_].
        return paragraph.lower().encode("ascii").translate(None, _ASCII_NOT_KEY).decode("ascii")
    folded = unicodedata.normalize("NFKC", paragraph).casefold()
    # The ASCII characters to drop go first, as bytes (no multi-byte UTF-8 sequence holds an
    # ASCII byte); the expression then only meets the few others, instead of costing some
    # 60 ns a character and a match per word gap.
    rest = folded.encode("utf-8", "surrogatepass").translate(None, _ASCII_NOT_KEY)
    key = rest.decode("utf-8", "surrogatepass")
    # str.isalnum tests each character as the expression's \w does (bar "_", dropped above).
    if key.isalnum() and "â" not in key:
        return key
    return _NOT_KEY.sub("", key)


_ASCII_NOT_KEY_BUT_NUL = _ASCII_NOT_KEY.replace(b"\x00", b"")


_NON_ASCII_BYTES = bytes(range(0x80, 0x100))


def repeat_keys(paragraphs: Sequence[str]) -> list[str | None]:
    """Return :func:`paragraph_key` of each paragraph that may repeat another, else ``None``.

    A paragraph's *ASCII key* is the ASCII letters and digits of its key, in order: equal keys
    have equal ASCII keys, so a paragraph whose ASCII key no other paragraph has repeats none
    and gets ``None``. ASCII keys come for the whole body from byte translations (ASCII
    paragraphs, whose key it is, together; the others together, see :func:`_folded`); only
    the non-ASCII paragraphs that share theirs pay for the rest of the key, the removal of the
    non-ASCII characters that are not letters or digits (curly quotes, dashes ...).
    """
    ascii_keys: list[str] = [""] * len(paragraphs)
    folded: dict[int, bytes] = {}
    for wanted in (True, False):
        indices = [i for i, text in enumerate(paragraphs) if text.isascii() is wanted]
        if not indices:
            continue
        data = _folded([paragraphs[i] for i in indices], ascii_only=wanted)
        if data is None:  # a paragraph holds the NUL that joins them: keyed one by one
            pieces = [
                paragraph_key(paragraphs[i]).encode("utf-8", "surrogatepass") for i in indices
            ]
            data = b"\x00".join(pieces)
        projected = data.translate(None, _NON_ASCII_BYTES).decode("ascii").split("\x00")
        for index, key in zip(indices, projected, strict=True):
            ascii_keys[index] = key
        if not wanted:
            folded.update(zip(indices, data.split(b"\x00"), strict=True))
    counts = Counter(ascii_keys)
    return [
        None if counts[key] == 1 else _unfolded(folded[i]) if i in folded else key
        for i, key in enumerate(ascii_keys)
    ]


def _folded(paragraphs: list[str], *, ascii_only: bool) -> bytes | None:
    """Return the keys of ``paragraphs`` but for their non-ASCII non-key characters, as UTF-8.

    The paragraphs are joined by NUL, a character that normalisation and case folding leave as
    it is, with the text on either side of it apart, and which stays the separator; ``None``
    when a paragraph holds a NUL itself. For ASCII paragraphs the result is their keys.
    """
    joined = "\x00".join(paragraphs)
    if joined.count("\x00") != len(paragraphs) - 1:
        return None
    if ascii_only:
        return joined.lower().encode("ascii").translate(None, _ASCII_NOT_KEY_BUT_NUL)
    if not unicodedata.is_normalized("NFKC", joined):
        # Normalised one by one: normalising the whole joined body costs for every paragraph
        # what only the few that change (an ellipsis, a ligature) need.
        joined = "\x00".join([unicodedata.normalize("NFKC", p) for p in paragraphs])
    return (
        joined.casefold().encode("utf-8", "surrogatepass").translate(None, _ASCII_NOT_KEY_BUT_NUL)
    )


def _unfolded(folded: bytes) -> str:
    """Return the key that :func:`_folded` gave ``folded`` (UTF-8) for."""
    key = folded.decode("utf-8", "surrogatepass")
    # What is left to drop is outside ASCII (curly quotes, dashes ...), and only in the keys
    # that hold some (str.isalnum tests as the expression's \w, bar "_").
    return key if (key.isalnum() and "â" not in key) or not key else _NOT_KEY.sub("", key)


def drop_repeats(paragraphs: Iterable[str]) -> tuple[list[str], int]:
    """Return the paragraphs without later repeats (first kept, order kept) and the drop count."""
    seen: set[str] = set()
    kept: list[str] = []
    dropped = 0
    texts = list(paragraphs)
    for paragraph, key in zip(texts, repeat_keys(texts), strict=True):
        if key is not None and len(key) >= MIN_KEY_CHARS:
            if key in seen:
                dropped += 1
                continue
            seen.add(key)
        kept.append(paragraph)
    return kept, dropped
