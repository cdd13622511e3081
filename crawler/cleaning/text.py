"""Cleaning of one string: mojibake repair, NFC, whitespace."""

from __future__ import annotations

import re
import unicodedata
from itertools import compress
from operator import is_, not_

from crawler.cleaning.lossy_quotes import keeps_every_circumflex, repair_lossy, repair_remnants
from crawler.cleaning.mojibake import SUSPICIOUS_UTF8_PATTERN, looks_mojibaked, repair_lossless
from crawler.cleaning.report import CleaningReport
from crawler.cleaning.whitespace import normalize_ascii_texts, normalize_whitespace, printable


def clean_text(text: str, *, report: CleaningReport | None = None) -> str:
    """Return ``text`` repaired and normalised; pure and idempotent. The result may be ``""``.

    Steps, in order: lossy two-character remnants (``â¦``, ``â"`` ...); lossless mojibake
    repair (ftfy, only on suspicious text); NFC; whitespace normalisation (newlines become
    spaces, runs collapse, ends trimmed, invisible characters dropped); then lossy ``â``
    repair, which reads the spaces around each ``â`` and so must see normalised whitespace.
    With ``report``, a text that mojibake repair changed adds one to its ``mojibake_repaired``.
    """
    cleaned, repaired = _repaired(text)
    if repaired and report is not None:
        report.mojibake_repaired += 1
    return cleaned


_MAX_PASSES = 4


def _repaired(text: str) -> tuple[str, bool]:
    """Return ``(clean_text(text), whether mojibake repair changed anything)``.

    The steps are repeated until nothing changes: a lossy repair can complete a lossless
    mojibake pair (``Ââ`` -> ``Â”``), which the next pass decodes. Repeating to a fixed point
    is what makes cleaning idempotent. Text settles in one or two passes; damaged text whose
    repairs complete one another (ftfy consuming an ``â`` that a lossy repair exposed) may
    take one more pass per ``â``, hence the bound. Runs of three or more lone ``â``, which
    would settle one per pass in quadratic time, are left alone by the lossy repair.
    """
    if not isinstance(text, str):
        raise TypeError(f"clean_text expects a str, got {type(text).__name__}: {text!r:.80}")
    if text.isascii():
        # No repair step applies to ASCII (nothing to decode, no "â", already NFC), and the
        # whitespace rewrite is idempotent: one pass of it is the fixed point.
        return normalize_whitespace(text), False
    repaired_any = False
    for _ in range(_MAX_PASSES + text.count("â")):
        result, repaired = _clean_once(text)
        repaired_any = repaired_any or repaired
        if result == text:
            break
        text = result
    return text, repaired_any


def _clean_once(text: str) -> tuple[str, bool]:
    repaired = repair_lossless(repair_remnants(text))
    changed = repaired != text
    if not unicodedata.is_normalized("NFC", repaired):
        repaired = unicodedata.normalize("NFC", repaired)
    spaced = normalize_whitespace(repaired)
    result = repair_lossy(spaced)
    return result, changed or result != spaced


# Texts are joined by a pilcrow between two spaces: printable, so that a joined text that is
# printable holds printable texts only, and spaced, so that a text that starts or ends with a
# space puts two spaces next to it. The pilcrow alone is counted, to know that no text holds
# one (then the joined text splits back into the texts).
SEPARATOR = " \u00b6 "


def clean_texts(texts: list[str], *, report: CleaningReport | None = None) -> list[str]:
    r"""Return :func:`clean_text` of each of ``texts``, in order, for less (``report`` alike).

    See :func:`clean_texts_telling_nfkc` (which also tests for NFKC, where this tests NFC).
    """
    return _clean_texts(texts, report, tell_nfkc=False)[0]


def clean_texts_telling_nfkc(
    texts: list[str], *, report: CleaningReport | None = None
) -> tuple[list[str], list[bool]]:
    r"""Return :func:`clean_texts` of ``texts``, and for each result whether it is known NFKC.

    NFKC, that is, once its ellipses are decomposed (:func:`nfkc_but_ellipses`): the texts
    are tested for NFC, and that test, made for NFKC first (the texts that need no repair,
    joined; the repaired ones one by one), tells the repeat test of a body
    (:func:`~crawler.cleaning.dedupe.drop_repeats`), which needs their NFKC forms, which
    ones are their own. ``False`` when not known.

    ASCII texts need only their whitespace normalised (no repair step applies to ASCII):
    :func:`~crawler.cleaning.whitespace.normalize_ascii_texts` does that for all of them at
    once. Of the others, a text with no mojibake pair, in NFC and whose every ``â`` is a
    letter (*inert*, see :func:`_inert`) gets nothing from any step but the whitespace
    rewrite, and that rewrite's result is final when it is inert too. They are tested
    together (:func:`_inert_flags`: one scan of the joined texts); those that are not inert
    are cleaned one by one.
    """
    return _clean_texts(texts, report, tell_nfkc=True)


def _clean_texts(
    texts: list[str], report: CleaningReport | None, *, tell_nfkc: bool
) -> tuple[list[str], list[bool]]:
    """Return :func:`clean_texts_telling_nfkc` of ``texts`` (NFKC tested if ``tell_nfkc``).

    Without ``tell_nfkc`` the flags may be left out (an empty list).
    """
    try:
        ascii_flags = list(map(str.isascii, texts))
    except TypeError:  # not all str: the first that is not raises clean_text's TypeError
        return [clean_text(text, report=report) for text in texts], [False] * len(texts)
    # The ASCII texts go apart: joined with the others, a few curly quotes would make the
    # whole text two bytes a character (its searches several times slower), and they need
    # none of the repair tests. The groups are taken and merged back by C-level iteration
    # (map, compress) but for one pass over the flags.
    ascii_count = sum(ascii_flags)
    if ascii_count == len(texts):
        cleaned = normalize_ascii_texts(texts)
        # ASCII is NFKC.
        return (cleaned.copy() if cleaned is texts else cleaned), [True] * len(texts)
    if not ascii_count:
        return _clean_joined(texts, report, tell_nfkc)
    ascii_texts = list(compress(texts, ascii_flags))
    other_texts = list(compress(texts, map(not_, ascii_flags)))
    ascii_results = normalize_ascii_texts(ascii_texts)
    other_results, other_normal = _clean_joined(other_texts, report, tell_nfkc)
    if not tell_nfkc:
        normal = []  # (not asked: a comment thread's texts)
    elif all(other_normal):
        normal = [True] * len(texts)
    else:  # (a body with a ligature, a fraction, a trademark sign ...)
        other_normal_iter = iter(other_normal)
        normal = [flag or next(other_normal_iter) for flag in ascii_flags]
    if ascii_results is ascii_texts and all(map(is_, other_results, other_texts)):
        return texts.copy(), normal  # every text its own result (a settled thread): no merge
    ascii_cleaned, other_cleaned = iter(ascii_results), iter(other_results)
    merged = [next(ascii_cleaned) if flag else next(other_cleaned) for flag in ascii_flags]
    return merged, normal


def nfkc_but_ellipses(text: str) -> bool:
    """Whether ``text`` is NFKC once each ``…`` is made ``...`` (its compatibility form).

    Such a text is NFC too: ``…`` and ``.`` are starters that compose with nothing. (The
    ellipsis is what most often keeps a body from being NFKC.)
    """
    return unicodedata.is_normalized("NFKC", text.replace("…", "..."))


def _clean_joined(
    texts: list[str], report: CleaningReport | None, tell_nfkc: bool
) -> tuple[list[str], list[bool]]:
    """Return :func:`_clean_texts` of ``texts``, all ``str`` and none ASCII (see there)."""
    if not texts:
        return [], []
    inert, normal = _inert_flags_telling_nfkc(texts, tell_nfkc=tell_nfkc)
    kept = texts if all(inert) else list(compress(texts, inert))
    all_inert = kept is texts
    joined = SEPARATOR.join(kept)
    flat = joined.replace("\n", " ")
    # The separator is counted only where the joined text is split back into the texts.
    if settled_whitespace(flat) and (
        "\n" not in joined or joined.count(SEPARATOR[1]) == len(kept) - 1
    ):
        # The commonest body: its inert texts are normalised but for the line breaks of
        # collapsed lines, which become spaces (normalize_whitespace's own fast paths), found
        # by one test of the joined texts instead of one rewrite per text. Such a rewrite
        # keeps the length, so the texts stay inert: each result is final.
        # Inert: nothing repaired. Without a line break each text is its own result.
        # (Line breaks made spaces keep the NFKC form: both compose with nothing.)
        results = flat.split(SEPARATOR) if "\n" in joined else list(kept)
        if not all_inert:
            # The others, cleaned one by one, go in at their places, in order (each insert
            # puts a text where the ones before it are already in place).
            for index in compress(range(len(texts)), map(not_, inert)):
                cleaned = clean_text(texts[index], report=report)
                normal[index] = tell_nfkc and nfkc_but_ellipses(cleaned)
                results.insert(index, cleaned)
        return results, normal
    spaced = {i: normalize_whitespace(texts[i]) for i in compress(range(len(texts)), inert)}
    # A rewrite that kept the length only made whitespace characters spaces (dropping or
    # collapsing shortens): no "â", mojibake pair or non-NFC form comes of that, so such a
    # text is as inert as before and final; only the shortened ones are tested again.
    rewritten = [
        i for i, text in spaced.items() if text is not texts[i] and len(text) != len(texts[i])
    ]
    found_texts: list[str | None] = [None] * len(texts)
    settled = _inert_flags([spaced[i] for i in rewritten])
    for i, text in spaced.items():
        found_texts[i] = text  # inert: nothing repaired
    for i, final in zip(rewritten, settled, strict=True):
        if not final:
            found_texts[i] = None
    results = [
        found if found is not None else clean_text(texts[i], report=report)
        for i, found in enumerate(found_texts)
    ]
    # Not known: rewrites that drop characters were not tested.
    return results, [False] * len(texts)


def settled_whitespace(joined: str) -> bool:
    """Whether every text joined by :data:`SEPARATOR` is left as is by the whitespace rewrite.

    True only when the joined text is printable (so is each text), holds no double space
    (neither does any text, and none starts or ends with a space: the separator's own
    spaces would make one) and does not start or end with a space (nor do the first and last
    texts): what :func:`normalize_whitespace` returns unchanged. A text holding the
    separator itself can only make the answer False, never wrongly True.
    """
    return (
        printable(joined)
        and "  " not in joined
        and not joined.startswith(" ")
        and not joined.endswith(" ")
    )


# What may make a text more than inert, as the UTF-8 bytes of the text spell it: an "â" (C3 A2)
# or a mojibake pair. Both start with the byte C3, which the expression engine finds by a fast
# literal scan, so one search of the joined texts finds every such text.
_TELL_UTF8 = re.compile(b"\xc3\xa2|" + SUSPICIOUS_UTF8_PATTERN)
_SUSPICIOUS_UTF8 = re.compile(SUSPICIOUS_UTF8_PATTERN)
_CIRCUMFLEX_UTF8 = "â".encode()
# Joins the texts for the scan: NUL is no part of a mojibake pair, and NFC leaves it and the
# text on either side of it apart (a starter that composes with nothing), so the joined texts
# hold a tell or fail NFC exactly where one of the texts does. Its bytes count the texts.
_JOINER = "\x00"


def _inert_flags(texts: list[str]) -> list[bool]:
    """Return, for each of ``texts``, whether it is inert (see :func:`clean_texts`)."""
    return _inert_flags_telling_nfkc(texts, tell_nfkc=False)[0]


def _inert_flags_telling_nfkc(
    texts: list[str], *, tell_nfkc: bool
) -> tuple[list[bool], list[bool]]:
    """Return, for each of ``texts``, whether it is inert (see :func:`clean_texts`).

    And for each whether it passes :func:`nfkc_but_ellipses` (``False``: not known): with
    ``tell_nfkc``, the texts found inert but for NFC are tested for that first, joined;
    when they pass (NFKC, but for ellipses, is NFC) the NFC test is not made.

    One scan of the joined texts finds the texts with an ``â`` (the rest of such a text is
    then searched for a pair, and its every ``â`` must be a letter) or a mojibake pair, each
    hit placed by counting the joiners before it, the scan going on from the next text; only
    when the joined texts fail NFC are the non-ASCII texts tested one by one for it. Texts
    holding a NUL, and texts with surrogates (which UTF-8 cannot encode), are tested one by
    one.
    """
    joined = _JOINER.join(texts)
    if joined.count(_JOINER) != len(texts) - 1:
        return [_inert(text) for text in texts], [False] * len(texts)
    flags = [True] * len(texts)
    if joined.isascii():
        return flags, [True] * len(texts)  # no "â", no pair, and ASCII is NFKC
    try:
        data = joined.encode("utf-8")
    except UnicodeEncodeError:
        return [_inert(text) for text in texts], [False] * len(texts)
    index = position = 0
    while (match := _TELL_UTF8.search(data, position)) is not None:
        start = match.start()
        index += data.count(b"\x00", position, start)
        # The rest of this text decides its flag: the search goes on from the next joiner
        # (counted then), so a text full of "â" (Vietnamese, French) costs one hit.
        position = data.find(b"\x00", start)
        if match.group() == _CIRCUMFLEX_UTF8:
            # No pair before this "â" (the search would have found it first); whether the
            # text is NFC is told for all texts below.
            text = texts[index]
            flags[index] = (
                _SUSPICIOUS_UTF8.search(data, start, len(data) if position < 0 else position)
                is None
                and keeps_every_circumflex(text)
                and text.replace("\n", " ").isprintable()
            )
        else:
            flags[index] = False
        if position < 0:
            break
    if tell_nfkc:
        # NFKC (but for ellipses) is NFC: one test answers both for most bodies, and tells
        # the repeat test that it need not normalise them. The texts already known not
        # inert (mojibake: "â€™" holds a trademark sign) are cleaned and tested alone.
        candidates = texts if all(flags) else list(compress(texts, flags))
        if nfkc_but_ellipses(_JOINER.join(candidates)):
            return flags, flags.copy()
    if not unicodedata.is_normalized("NFC", joined):
        for index, text in enumerate(texts):
            if flags[index] and not unicodedata.is_normalized("NFC", text):
                flags[index] = False
    return flags, [False] * len(texts)


def _inert(text: str) -> bool:
    r"""Whether ``text`` gets nothing from cleaning but the whitespace rewrite, if that keeps it.

    It holds no mojibake pair, is NFC, and every ``â`` in it is a letter that the lossy
    repair keeps; one that the rewrite could change (it drops unprintable characters, which
    may join the letters around an ``â`` into a contraction) is not counted on. A rewrite
    that shortens the text (drops characters) may join others into a mojibake pair or a
    non-NFC sequence (``"Â\x08¡"`` becomes the pair ``"Â¡"``): what it gives must be tested
    again (:func:`_clean_joined` does); one that keeps the length leaves the text inert.
    """
    if "â" in text and not (keeps_every_circumflex(text) and text.replace("\n", " ").isprintable()):
        return False
    return not looks_mojibaked(text) and unicodedata.is_normalized("NFC", text)
