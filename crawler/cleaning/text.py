"""Cleaning of one string: mojibake repair, NFC, whitespace."""

from __future__ import annotations

import unicodedata

from crawler.cleaning.lossy_quotes import repair_lossy, repair_remnants
from crawler.cleaning.mojibake import looks_mojibaked, repair_lossless
from crawler.cleaning.whitespace import normalize_whitespace


def clean_text(text: str) -> str:
    """Return ``text`` repaired and normalised; pure and idempotent. The result may be ``""``.

    Steps, in order: lossy two-character remnants (``â¦``, ``â"`` ...); lossless mojibake
    repair (ftfy, only on suspicious text); NFC; whitespace normalisation (newlines become
    spaces, runs collapse, ends trimmed, invisible characters dropped); then lossy ``â``
    repair, which reads the spaces around each ``â`` and so must see normalised whitespace.
    """
    return clean_text_reporting(text)[0]


_MAX_PASSES = 4


def clean_text_reporting(text: str) -> tuple[str, bool]:
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


def clean_texts_reporting(texts: list[str]) -> list[tuple[str, bool]]:
    r"""Return :func:`clean_text_reporting` of each of ``texts``, in order, for less.

    A text with no ``â``, no mojibake pair and in NFC (*inert*) gets nothing from any step
    but the whitespace rewrite, and that rewrite's result is final when it is inert too. The
    texts are tested together, joined by newlines: ``\n`` cannot be part of a mojibake pair,
    and NFC leaves it and the text on either side of it apart, so the joined text is inert
    exactly when every text is. A body whose texts are not all inert is cleaned text by text.
    """
    if not all(isinstance(text, str) for text in texts):
        return [clean_text_reporting(text) for text in texts]
    if not _inert("\n".join(texts)):
        return [clean_text_reporting(text) for text in texts]
    spaced = [normalize_whitespace(text) for text in texts]
    rewritten = [new for new, old in zip(spaced, texts, strict=True) if new is not old]
    if rewritten and not _inert("\n".join(rewritten)):
        return [clean_text_reporting(text) for text in texts]
    return [(text, False) for text in spaced]


def _inert(text: str) -> bool:
    return "â" not in text and not looks_mojibaked(text) and unicodedata.is_normalized("NFC", text)
