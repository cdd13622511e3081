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


def paragraph_keys(paragraphs: Sequence[str]) -> list[str]:
    """Return :func:`paragraph_key` of each of ``paragraphs``, in order.

    The ASCII paragraphs are keyed together, and so are the others (see :func:`_joined_keys`):
    one pass over the text instead of one call per paragraph, and ASCII text never pays for
    the Unicode normalisation the others need.
    """
    keys: list[str] = [""] * len(paragraphs)
    for wanted in (True, False):
        indices = [i for i, text in enumerate(paragraphs) if text.isascii() is wanted]
        found = _joined_keys([paragraphs[i] for i in indices], ascii_only=wanted)
        for index, key in zip(indices, found, strict=True):
            keys[index] = key
    return keys


def _joined_keys(paragraphs: list[str], *, ascii_only: bool) -> list[str]:
    """Key ``paragraphs`` joined by NUL, kept as the separator and split at afterwards.

    NUL is a character that normalisation and case folding leave as it is, with the text on
    either side of it apart. Paragraphs that hold a NUL themselves are keyed one by one.
    """
    joined = "\x00".join(paragraphs)
    if not paragraphs or joined.count("\x00") != len(paragraphs) - 1:
        return [paragraph_key(paragraph) for paragraph in paragraphs]
    if ascii_only:
        data = joined.lower().encode("ascii").translate(None, _ASCII_NOT_KEY_BUT_NUL)
        return data.decode("ascii").split("\x00")
    if not unicodedata.is_normalized("NFKC", joined):
        # Normalised one by one: normalising the whole joined body costs for every paragraph
        # what only the few that change (an ellipsis, a ligature) need.
        joined = "\x00".join([unicodedata.normalize("NFKC", p) for p in paragraphs])
    rest = (
        joined.casefold().encode("utf-8", "surrogatepass").translate(None, _ASCII_NOT_KEY_BUT_NUL)
    )
    # What is left to drop is outside ASCII (curly quotes, dashes ...): per key, and only in
    # the keys that hold some (str.isalnum tests as the expression's \w, bar "_").
    return [
        key if (key.isalnum() and "â" not in key) or not key else _NOT_KEY.sub("", key)
        for key in rest.decode("utf-8", "surrogatepass").split("\x00")
    ]


def drop_repeats(paragraphs: Iterable[str]) -> tuple[list[str], int]:
    """Return the paragraphs without later repeats (first kept, order kept) and the drop count."""
    seen: set[str] = set()
    kept: list[str] = []
    dropped = 0
    texts = list(paragraphs)
    for paragraph, key in zip(texts, paragraph_keys(texts), strict=True):
        if len(key) >= MIN_KEY_CHARS:
            if key in seen:
                dropped += 1
                continue
            seen.add(key)
        kept.append(paragraph)
    return kept, dropped
