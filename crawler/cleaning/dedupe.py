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
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from itertools import compress, repeat
from operator import gt, lt, not_

from crawler.cleaning.joined_body import JoinedBody

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
    # ASCII byte), then the punctuation outside ASCII that _unfolded_keys drops as bytes
    # (NUL is among those dropped: the bytes are one key); the expression then only meets
    # what is left, instead of costing some 60 ns a character and a match per word gap (a
    # Spanish paragraph's "¡" and "¿" made its key cost 107,000 instructions).
    rest = folded.encode("utf-8", "surrogatepass").translate(None, _ASCII_NOT_KEY)
    return _unfolded_keys(rest)[0]


_ASCII_NOT_KEY_BUT_NUL = _ASCII_NOT_KEY.replace(b"\x00", b"")


def has_key(paragraph: str, key: str) -> bool:
    """Return ``paragraph_key(paragraph) == key``, for less on a long paragraph outside ASCII.

    Each ASCII letter or digit of a paragraph puts at least one character in its key (NFKC
    keeps ASCII, at most composing a letter with the marks after it, and case folding keeps
    a letter a letter; a test checks the bound on generated text): a paragraph with more of
    them than ``key`` has characters has another key, told without folding it (some 60
    instructions a character outside ASCII).
    """
    if not paragraph.isascii() and len(_ascii_key_bytes(paragraph)) > len(key):
        return False
    return paragraph_key(paragraph) == key


def _ascii_key_bytes(text: str) -> bytes:
    """Return the ASCII letters (lower-cased) and digits of ``text``, in order."""
    return text.encode("latin-1", "ignore").lower().translate(None, _ASCII_NOT_KEY_OR_NON_ASCII)


_NON_ASCII_BYTES = bytes(range(0x80, 0x100))
_ASCII_NOT_KEY_OR_NON_ASCII = _ASCII_NOT_KEY + _NON_ASCII_BYTES

# The ASCII letters that case folding makes of a character outside ASCII that NFKC keeps:
# "ß" and "ẞ" fold to "ss", "İ" to "i" and a dot, "ǰ ẖ ẗ ẘ ẙ" to "j h t w y" and a mark
# (a test checks every code point). The *sketch* of a paragraph leaves them out.
_FOLDED_FROM_NON_ASCII = b"hijstwy"
# One translation of ASCII text to its sketch: letters lower-cased, and deleted (before
# that) every byte that is not a letter or digit, but NUL, and the seven in either case.
_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")
_NOT_SKETCH_BUT_NUL = bytes(
    b
    for b in range(1, 128)
    if not chr(b).isalnum() or chr(b).lower().encode() in _FOLDED_FROM_NON_ASCII
)
_NOT_SKETCH = _NOT_SKETCH_BUT_NUL + b"\x00" + _NON_ASCII_BYTES
# The same, NUL kept, for Latin-1 bytes (whose bytes outside ASCII are characters to drop).
_NOT_LATIN1_SKETCH_BUT_NUL = _NOT_SKETCH_BUT_NUL + _NON_ASCII_BYTES


def repeat_keys(
    paragraphs: Sequence[str],
    *,
    nfkc_known: Sequence[bool] | None = None,
    body: JoinedBody | None = None,
) -> list[str | None]:
    """Return :func:`paragraph_key` of each paragraph that may be dropped as a repeat, or ``None``.

    One that may be dropped has a key of :data:`MIN_KEY_CHARS` or more that another may share.
    A paragraph's *sketch* is the ASCII letters and digits of its key but ``h i j s t w y``,
    in order; it is also those of its NFKC form, lower-cased, as ASCII letters come into the
    key from no other character but the ones that fold to those seven. Equal keys have equal
    sketches, so a paragraph whose sketch no other paragraph has repeats none and gets
    ``None``. Sketches come for the whole body from a few byte translations of the joined
    paragraphs in NFKC (:func:`_sketches`); only the paragraphs that share theirs are keyed,
    together, from those NFKC forms (:func:`_normal_keys`), but for ASCII paragraphs shorter
    than :data:`MIN_KEY_CHARS` (an ASCII key is no longer than its paragraph).
    ``nfkc_known``: for each paragraph, whether the caller knows it to be NFKC once its
    ellipses are made ``...`` (:func:`~crawler.cleaning.text.nfkc_but_ellipses`); those are
    not tested again, the others are normalised (``None``: none known). ``body``: the
    paragraphs joined (made once for the body's passes).
    """
    keys: list[str | None] = [None] * len(paragraphs)
    for index, key in _keyed(paragraphs, nfkc_known, body).items():
        keys[index] = key
    return keys


def _keyed(
    paragraphs: Sequence[str], nfkc_known: Sequence[bool] | None, body: JoinedBody | None
) -> dict[int, str]:
    """Return :func:`repeat_keys` as the index and key of each paragraph that gets a key.

    (A body of hundreds of lines has a few: its other paragraphs are not gone through.)
    """
    sketches, normal_forms = _sketches(paragraphs, nfkc_known, body)
    if len(set(sketches)) == len(sketches):
        return {}  # the commonest body: no two paragraphs share a sketch
    counts = Counter(sketches)
    # The paragraphs sharing their sketch are found in C (a body of short lines has hundreds
    # of sketches); of those, an ASCII key is no longer than its paragraph: a shorter one is
    # never dropped (short lines are what most often share a sketch).
    shared = [
        i
        for i in compress(
            range(len(sketches)), map(gt, map(counts.__getitem__, sketches), repeat(1))
        )
        if len(paragraphs[i]) >= MIN_KEY_CHARS or not paragraphs[i].isascii()
    ]
    forms = normal_forms() if normal_forms is not None else []
    candidates = [forms[index] for index in shared] if forms else []
    if not forms or any("\x00" in form for form in candidates):
        # A paragraph holds the NUL that joins them: keyed one by one.
        found = [paragraph_key(paragraphs[index]) for index in shared]
    else:
        # Keyed from the NFKC forms the sketches were taken from (the body's NFKC form is
        # made and tested once): in a body outside Latin script (Russian, Chinese) every
        # sketch is empty and every paragraph is keyed.
        found = _normal_keys(candidates)
    return {
        index: key for index, key in zip(shared, found, strict=True) if len(key) >= MIN_KEY_CHARS
    }


# A body of long paragraphs is sketched from their ends: a paragraph's sketch is then the
# first and the last _END_LETTERS bytes of its sketch (a function of its key, as the whole
# is), taken from its first and last _END_CHARS characters (or, when they hold fewer, from
# the whole). The translation that deletes the characters that are no sketch letter costs
# some 3 ns a byte (its branch per byte), most of a long-paragraph body's repeat test.
_END_LETTERS = 24
_END_CHARS = 64
# The average paragraph length above which the ends are sketched: below it the slicing and
# the joining of the ends (some 0.3 us a paragraph) cost more than the bytes they spare
# (corpus-like bodies of 200-280 characters a paragraph measured slower).
_END_BODIES = 5 * _END_CHARS
# And the number of paragraphs below which a body is sketched whole all the same: the ends'
# two joins and translations cost a body some 2 us more than they spare a few paragraphs
# (drop_repeats, process time, best of 3,000: one French paragraph of 600 characters 4.2 ->
# 2.3 us by the whole, four 5.3 against 7.6, eight 9.6 against 13.1; sixteen 22.7 and 22.9).
_END_MIN_PARAGRAPHS = 8


def _sketches(
    paragraphs: Sequence[str], nfkc_known: Sequence[bool] | None, body: JoinedBody | None
) -> tuple[list[bytes], Callable[[], list[str]] | None]:
    """Return the sketch of each paragraph (see :func:`repeat_keys`), as ASCII bytes.

    And a function returning the paragraphs in NFKC. They are joined by NUL, which NFKC
    leaves as it is with the text on either side of it apart; when one holds a NUL itself
    (the joined sketches split into more), each sketch is taken from its key, and ``None``
    is returned for the forms. With ``nfkc_known`` and paragraphs longer than
    :data:`_END_BODIES` on average (and at least :data:`_END_MIN_PARAGRAPHS` of them), the
    sketches are those of their ends (see :data:`_END_LETTERS`). ``body``: the paragraphs
    joined, when made already.
    """
    if (
        nfkc_known is not None
        and len(paragraphs) >= _END_MIN_PARAGRAPHS
        and sum(map(len, paragraphs)) > _END_BODIES * len(paragraphs)
    ):
        forms = _normalised(paragraphs, nfkc_known)
        end_sketches = _end_sketches(forms)
        if end_sketches is not None:
            return end_sketches, forms.copy
    if body is None:
        body = JoinedBody(paragraphs)
    joined = body.text()
    if joined.isascii() or (nfkc_known is not None and all(nfkc_known)):
        normal = joined  # (NFKC makes "…" "...": no sketch letter, no key character)
        sketches = _latin1_sketches(body.latin1())
    else:
        if nfkc_known is None:
            normal = _nfkc(joined)
        else:
            normal = "\x00".join(_normalised(paragraphs, nfkc_known))
        sketches = _joined_sketches_of(normal)
    if len(sketches) == len(paragraphs):
        # (The paragraphs themselves when they are their NFKC forms: no split of the body.)
        return sketches, partial(list, paragraphs) if normal is joined else partial(
            normal.split, "\x00"
        )
    return [
        paragraph_key(p).encode("utf-8", "surrogatepass").translate(_LOWER, _NOT_SKETCH)
        for p in paragraphs
    ], None


def _end_sketches(forms: list[str]) -> list[bytes] | None:
    """Return the sketches of texts in NFKC from their ends (see :data:`_END_LETTERS`).

    ``None`` when a text holds a NUL (the joined sketches split into more).
    """
    heads = _joined_sketches([form[:_END_CHARS] for form in forms])
    tails = _joined_sketches([form[-_END_CHARS:] for form in forms])
    if not len(heads) == len(tails) == len(forms):
        return None
    # Ends with fewer sketch letters than kept, of longer texts: sketched whole.
    short = map(lt, map(min, map(len, heads), map(len, tails)), repeat(_END_LETTERS))
    whole = [i for i in compress(range(len(forms)), short) if len(forms[i]) > _END_CHARS]
    wholes = _joined_sketches([forms[index] for index in whole])
    if len(wholes) != max(len(whole), 1):
        return None
    for index, sketch in zip(whole, wholes, strict=False):
        heads[index] = tails[index] = sketch
    return [
        head[:_END_LETTERS] + b"\x00" + tail[-_END_LETTERS:]
        for head, tail in zip(heads, tails, strict=True)
    ]


def _normalised(paragraphs: Sequence[str], nfkc_known: Sequence[bool]) -> list[str]:
    """Return the NFKC forms of ``paragraphs`` (but ellipses) of which ``nfkc_known`` tells some."""
    forms = list(paragraphs)
    if not all(nfkc_known):  # the few others normalised, one by one
        for index in compress(range(len(forms)), map(not_, nfkc_known)):
            forms[index] = unicodedata.normalize("NFKC", forms[index])
    # (NFKC makes "…" "...": no sketch letter, no key character, either way.)
    return forms


def _joined_sketches(forms: list[str]) -> list[bytes]:
    """Return the sketches of texts in NFKC (more when one holds a NUL)."""
    return _joined_sketches_of("\x00".join(forms))


def _joined_sketches_of(normal: str) -> list[bytes]:
    """Return the sketches of the NUL-joined texts in NFKC ``normal`` (split at every NUL)."""
    return _latin1_sketches(normal.encode("latin-1", "ignore"))


def _latin1_sketches(data: bytes) -> list[bytes]:
    """Return :func:`_joined_sketches_of` the text whose Latin-1 bytes (others out) are ``data``.

    Latin-1, not ASCII: encoding text of Latin letters to ASCII calls the error handler for
    each run of letters outside it ("é", "ç": one every few characters in French), and
    Latin-1 text is only copied; its other bytes go with the translation's deletions.
    """
    return data.translate(_LOWER, _NOT_LATIN1_SKETCH_BUT_NUL).split(b"\x00")


def _nfkc(joined: str) -> str:
    """Return the NUL-joined paragraphs ``joined`` with each paragraph in NFKC."""
    if unicodedata.is_normalized("NFKC", joined):
        return joined
    # The ellipsis, most often what is not NFKC, is replaced by its decomposition first:
    # NFKC decomposes before it composes, so that changes no paragraph's normal form.
    joined = joined.replace("…", "...")
    if unicodedata.is_normalized("NFKC", joined):
        return joined
    # Normalised one by one: normalising the whole joined body costs for every paragraph
    # what only the few that change (a ligature, a fraction) need.
    return "\x00".join([unicodedata.normalize("NFKC", p) for p in joined.split("\x00")])


def _normal_keys(forms: list[str]) -> list[str]:
    """Return the key of each paragraph whose NFKC form is in ``forms`` (none holds a NUL).

    The forms are joined by NUL, which case folding leaves as it is and which stays the
    separator, and keyed together: case-folded, encoded, their ASCII non-key characters
    deleted as bytes (:func:`_unfolded_keys` does the rest).
    """
    if not forms:
        return []
    joined = "\x00".join(forms)
    if joined.isascii():
        return _unfolded_keys(
            joined.lower().encode("ascii").translate(None, _ASCII_NOT_KEY_BUT_NUL)
        )
    folded = joined.casefold().encode("utf-8", "surrogatepass")
    return _unfolded_keys(folded.translate(None, _ASCII_NOT_KEY_BUT_NUL))


# The UTF-8 of the characters U+2000-U+207F (general punctuation, spaces, format characters,
# super- and subscripts) and U+00A0-U+00BF (Latin-1 punctuation and signs). In NFKC text,
# case-folded, none of them is a letter or digit: each one that is (ª º µ ¹ ² ³ ¼ ½ ¾ ⁱ ⁿ ...)
# has a compatibility decomposition, so NFKC never leaves it, and no character folds to one
# (a test checks every code point). So a key drops every one of them.
# (Two expressions, each found by a scan for its literal lead byte: as one alternation the
# expression would be tried at every byte.)
_FOLDED_PUNCTUATION = (re.compile(b"\xe2[\x80\x81][\x80-\xbf]"), re.compile(b"\xc2[\xa0-\xbf]"))


def _unfolded_keys(folded: bytes) -> list[str]:
    """Return the keys of NUL-joined folded NFKC texts, ``folded``, as UTF-8 without ASCII non-key.

    What is left to drop is outside ASCII (curly quotes, dashes ...), and only in the keys
    that hold some (str.isalnum tests as the expression's word class, bar "_"). Most of it is
    punctuation of _FOLDED_PUNCTUATION, dropped from the bytes of all the texts at once
    without the expression, which tests every character (about 60 ns a character); both
    expressions match whole UTF-8 sequences, never a NUL.
    """
    for lead, punctuation in zip(b"\xe2\xc2", _FOLDED_PUNCTUATION, strict=True):
        if lead in folded:
            folded = punctuation.sub(b"", folded)
    keys = folded.decode("utf-8", "surrogatepass").split("\x00")
    return [
        key if (key.isalnum() and "â" not in key) or not key else _NOT_KEY.sub("", key)
        for key in keys
    ]


def drop_repeats(
    paragraphs: Iterable[str],
    *,
    nfkc_known: Sequence[bool] | None = None,
    body: JoinedBody | None = None,
) -> tuple[list[str], int]:
    """Return the paragraphs without later repeats (first kept, order kept) and the drop count.

    ``nfkc_known``: see :func:`repeat_keys`; ``body``: the paragraphs joined, when made
    already (for the body's other passes).
    """
    texts = list(paragraphs)
    seen: set[str] = set()
    repeats: list[int] = []
    for index, key in _keyed(texts, nfkc_known, body).items():  # in order
        if key in seen:
            repeats.append(index)
        else:
            seen.add(key)
    if not repeats:  # no paragraph repeats another (the commonest body)
        return texts, 0
    keep = [True] * len(texts)
    for index in repeats:
        keep[index] = False
    return list(compress(texts, keep)), len(repeats)
