"""Cleaning stage: turn a parsed post's raw text into clean, deduplicated text.

Public contract (pure functions; inputs are never mutated, only a given ``report`` counts up):

* :func:`clean_text` - one string: mojibake repair (lossless and lossy), NFC, whitespace.
* :func:`clean_paragraphs` - a body: each paragraph cleaned, empty ones and template
  boilerplate removed, repeats removed (first kept, order kept).
* :func:`clean_post` - a :class:`~crawler.items.BlogPost` with every text field cleaned.

All three are idempotent. Each takes an optional ``report`` (a :class:`CleaningReport`) to
which it adds what it changed, for statistics; the result is the same with or without one.
See docs/cleaning.md for the rules and their limits.
"""

from __future__ import annotations

from crawler.cleaning.paragraphs import clean_paragraphs
from crawler.cleaning.post import clean_post
from crawler.cleaning.report import CleaningReport
from crawler.cleaning.text import clean_text

__all__ = [
    "CleaningReport",
    "clean_paragraphs",
    "clean_post",
    "clean_text",
]
