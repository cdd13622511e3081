"""Cleaning of one string: mojibake repair, NFC, whitespace."""

from __future__ import annotations

import unicodedata

from crawler.cleaning.lossy_quotes import repair_lossy, repair_remnants
from crawler.cleaning.mojibake import repair_lossless
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
