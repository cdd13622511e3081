"""Cleaning stage: turn a parsed post's raw text into clean, deduplicated text.

Public contract (all pure functions; inputs are never mutated):

* :func:`clean_text` - one string: mojibake repair (lossless and lossy), NFC, whitespace.
* :func:`clean_paragraphs` - a body: each paragraph cleaned, empty ones and template
  boilerplate removed, repeats removed (first kept, order kept).
* :func:`clean_post` - a :class:`~crawler.items.BlogPost` with every text field cleaned.

All three are idempotent. See docs/cleaning.md for the rules and their limits.
"""

from __future__ import annotations

from crawler.cleaning.paragraphs import clean_paragraphs, clean_paragraphs_counted
from crawler.cleaning.post import clean_post, clean_post_counted
from crawler.cleaning.report import CleaningReport
from crawler.cleaning.text import clean_text

__all__ = [
    "CleaningReport",
    "clean_paragraphs",
    "clean_paragraphs_counted",
    "clean_post",
    "clean_post_counted",
    "clean_text",
]
