"""Cleaning of the comments a post page shows (:attr:`~crawler.items.BlogPost.comments`).

Each paragraph goes through the same text cleaning as a post body's
(:func:`~crawler.cleaning.text.clean_text`: lossy-``â`` and lossless mojibake repair with
ftfy, NFC, whitespace) and empty paragraphs go; the author's name is cleaned the same way
(blank becomes ``None``). The body-only steps of :func:`~crawler.cleaning.clean_paragraphs`
are not applied: a comment is what a reader typed, not a template, so a comment that says
"Share this!" or repeats a line keeps it. A deleted comment keeps no text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from crawler.cleaning.report import CleaningReport
from crawler.cleaning.text import clean_text
from crawler.items import BlogComment


def clean_comments(
    comments: Sequence[BlogComment], *, report: CleaningReport | None = None
) -> list[BlogComment]:
    """Return cleaned copies of ``comments`` (same order); with ``report``, add repairs to it."""
    if report is None:
        report = CleaningReport()
    return [_clean_comment(comment, report) for comment in comments]


# The ASCII characters normalize_whitespace drops: C0 controls but tab, LF and CR, and DEL.
_ASCII_DROPPED = dict.fromkeys([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def _ascii_whitespace(text: str) -> str:
    """Return ``normalize_whitespace(text)`` for ASCII ``text``, without its regex passes.

    In ASCII there is nothing but controls to drop and no joiner; what is left of the
    whitespace (space, tab, LF, CR) collapses to single spaces, trimmed at both ends.
    """
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        # No control character and no whitespace but single inner spaces (the body splitter
        # already collapsed most paragraphs): already normalised, so spared two rewrites.
        return text
    return " ".join(text.translate(_ASCII_DROPPED).split())


def _clean(text: str, report: CleaningReport) -> str:
    if text.isascii():
        # Every repair step but whitespace looks for non-ASCII characters (mojibake, lossy
        # ``â``, non-NFC forms), so ASCII text only needs its whitespace normalised: the
        # same result as clean_text, for a fraction of the cost.
        return _ascii_whitespace(text)
    return clean_text(text, report=report)


def _clean_comment(comment: BlogComment, report: CleaningReport) -> BlogComment:
    paragraphs: list[str] = []
    if not comment.deleted:
        for paragraph in comment.paragraphs:
            cleaned = _clean(paragraph, report)
            if cleaned:
                paragraphs.append(cleaned)
    author = None if comment.author is None else (_clean(comment.author, report) or None)
    return dataclasses.replace(comment, author=author, paragraphs=paragraphs)
