"""Cleaning of one string: mojibake repair, NFC, whitespace."""

from __future__ import annotations

import unicodedata
from itertools import compress
from operator import is_, not_

from crawler.cleaning.joined_body import texts_hit
from crawler.cleaning.lossy_quotes import (
    each_circumflex_kept,
    keeps_every_circumflex,
    repair_lossy,
    repair_remnants,
    unsure_circumflex,
)
from crawler.cleaning.mojibake import (
    find_pair,
    looks_mojibaked,
    pair_classes,
    repair_lossless,
)
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
    """Return :func:`_clean_texts` of ``texts``, all ``str`` and none ASCII (see there).

    The texts are joined once, by :data:`SEPARATOR`: that one text answers which texts are
    inert (:func:`_joined_inert_flags`) and whether they are NFKC, and when all are inert,
    whether their whitespace is settled; split back (its line breaks made spaces), it is
    their results.
    """
    if not texts:
        return [], []
    inert, normal, joined = _joined_inert_flags(texts, SEPARATOR.join(texts), tell_nfkc=tell_nfkc)
    kept = texts if all(inert) else list(compress(texts, inert))
    lined = "\n" in joined
    flat = joined.replace("\n", " ") if lined else joined
    clean = flat.isprintable()
    # The separator is counted only where the joined text is split back into the texts.
    if settled_whitespace(flat, clean=clean) and (
        not lined or joined.count(_MARK) == len(kept) - 1
    ):
        # The commonest body: its inert texts are normalised but for the line breaks of
        # collapsed lines, which become spaces (normalize_whitespace's own fast paths), found
        # by one test of the joined texts instead of one rewrite per text. Such a rewrite
        # keeps the length, so the texts stay inert: each result is final. And each is
        # printable: what inert asks of a text with an "â".
        # Inert: nothing repaired. Without a line break each text is its own result.
        # (Line breaks made spaces keep the NFKC form: both compose with nothing.)
        results = flat.split(SEPARATOR) if lined else list(kept)
        if kept is not texts:
            # The others, cleaned one by one, go in at their places, in order (each insert
            # puts a text where the ones before it are already in place).
            for index in compress(range(len(texts)), map(not_, inert)):
                cleaned = clean_text(texts[index], report=report)
                normal[index] = tell_nfkc and nfkc_but_ellipses(cleaned)
                results.insert(index, cleaned)
        return results, normal
    if not clean:
        _flag_unprintable_circumflexes(texts, inert)
    return _clean_unsettled(texts, inert, report)


def _clean_unsettled(
    texts: list[str], inert: list[bool], report: CleaningReport | None
) -> tuple[list[str], list[bool]]:
    """Return :func:`_clean_joined` of ``texts`` whose whitespace needs rewriting.

    ``inert``: which texts are inert. Their NFKC forms are not told.
    """
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


def settled_whitespace(joined: str, *, clean: bool | None = None) -> bool:
    """Whether every text joined by :data:`SEPARATOR` is left as is by the whitespace rewrite.

    True only when the joined text is printable (so is each text), holds no double space
    (neither does any text, and none starts or ends with a space: the separator's own
    spaces would make one) and does not start or end with a space (nor do the first and last
    texts): what :func:`normalize_whitespace` returns unchanged. A text holding the
    separator itself can only make the answer False, never wrongly True. ``clean``: whether
    ``joined`` is printable, when already known.
    """
    return (
        (printable(joined) if clean is None else clean)
        and "  " not in joined
        and not joined.startswith(" ")
        and not joined.endswith(" ")
    )


# The separator's mark, which places a hit.
_MARK = SEPARATOR[1]
_MARK_UTF8 = _MARK.encode("utf-8")


def _inert_flags(texts: list[str]) -> list[bool]:
    """Return, for each of ``texts``, whether it is inert (see :func:`clean_texts`)."""
    joined = SEPARATOR.join(texts)
    flags = _joined_inert_flags(texts, joined, tell_nfkc=False)[0]
    if not joined.replace("\n", " ").isprintable():
        _flag_unprintable_circumflexes(texts, flags)
    return flags


def _flag_unprintable_circumflexes(texts: list[str], flags: list[bool]) -> None:
    """Set the flags of the texts with an "â" that are unprintable but for line breaks False.

    What :func:`_joined_inert_flags` leaves to its caller: an "â" in text that the
    whitespace rewrite may shorten is not counted on (see :func:`_inert`).
    """
    for index, text in enumerate(texts):
        if flags[index] and "â" in text and not text.replace("\n", " ").isprintable():
            flags[index] = False


def _joined_inert_flags(
    texts: list[str], joined: str, *, tell_nfkc: bool
) -> tuple[list[bool], list[bool], str]:
    """Return, for each of ``texts``, whether it is inert if printable (see :func:`_inert`).

    ``joined``: the texts joined by :data:`SEPARATOR`. And for each text whether it passes
    :func:`nfkc_but_ellipses` (``False``: not known): with ``tell_nfkc``, the texts found
    inert but for NFC are tested for that first, joined; when they pass (NFKC, but for
    ellipses, is NFC) the NFC test is not made. And the texts flagged inert joined by
    :data:`SEPARATOR` (made once: the caller tests their whitespace).

    The joined text is searched whole: its UTF-8 bytes once for a mojibake pair, and,
    when it holds an ``â``, itself once for an ``â`` that is not surely a letter
    (:func:`~crawler.cleaning.lossy_quotes.unsure_circumflex`: the separator, spaced, reads
    as a text's edge); each hit is placed by counting the marks before it, the search going
    on from the next text (a text full of "â" costs one hit), and only the hit texts are
    tested alone; only when the joined text fails NFC are the texts tested one by one for
    it. Texts holding the mark, and texts with surrogates (which UTF-8 cannot encode), are
    tested one by one. What is not tested is whether a text with an ``â`` is printable but
    for line breaks (:func:`_flag_unprintable_circumflexes`): the caller's test of the
    joined text tells it for all.
    """
    flags = [True] * len(texts)
    if joined.isascii():
        return flags, [True] * len(texts), joined  # no "â", no pair, and ASCII is NFKC
    try:
        data = joined.encode("utf-8")
    except UnicodeEncodeError:
        return _each_inert(texts)
    pairs = _pair_hits(data)
    # An "â" hit's text is the number of marks before it. Counted on to the end, they must
    # be one fewer than the texts, else a text holds one (each text is then tested alone).
    index = counted = 0
    unsure = unsure_circumflex(joined) if "â" in joined else -1
    placed = bool(pairs) or unsure >= 0
    while unsure >= 0:
        index += joined.count(_MARK, counted, unsure)
        counted = unsure
        if index >= len(texts):
            return _each_inert(texts)
        if flags[index] and not each_circumflex_kept(texts[index]):
            flags[index] = False
        resume = joined.find(_MARK, unsure)  # the search goes on from the next text
        unsure = -1 if resume < 0 else unsure_circumflex(joined, resume)
    if placed and index + joined.count(_MARK, counted) != len(texts) - 1:
        return _each_inert(texts)
    for index in pairs:
        flags[index] = False
    if tell_nfkc:
        # NFKC (but for ellipses) is NFC: one test answers both for most bodies, and tells
        # the repeat test that it need not normalise them. The texts already known not
        # inert (mojibake: "â€™" holds a trademark sign) are cleaned and tested alone.
        candidates = joined if all(flags) else SEPARATOR.join(compress(texts, flags))
        if nfkc_but_ellipses(candidates):
            return flags, flags.copy(), candidates
    if not unicodedata.is_normalized("NFC", joined):
        for index, text in enumerate(texts):
            if flags[index] and not unicodedata.is_normalized("NFC", text):
                flags[index] = False
    kept = joined if all(flags) else SEPARATOR.join(compress(texts, flags))
    return flags, [False] * len(texts), kept


def _pair_hits(data: bytes) -> list[int]:
    """Return the index of each text of the UTF-8 ``data`` that holds a mojibake pair.

    ``data``: texts joined by :data:`SEPARATOR`, none holding its mark; a text with many
    pairs is listed once (:func:`joined_body.texts_hit`).
    """
    classes = pair_classes(data)
    first = find_pair(data, classes)
    return list(texts_hit(data, _MARK_UTF8, first, lambda at: find_pair(data, classes, at)))


def _each_inert(texts: list[str]) -> tuple[list[bool], list[bool], str]:
    """Return :func:`_joined_inert_flags` of ``texts``, each tested alone (NFKC not told)."""
    flags = [_inert(text) for text in texts]
    return flags, [False] * len(texts), SEPARATOR.join(compress(texts, flags))


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
