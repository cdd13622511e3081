"""Cleaning of the comments a post page shows (:attr:`~crawler.items.BlogPost.comments`).

Each paragraph goes through the same text cleaning as a post body's
(:func:`~crawler.cleaning.text.clean_text`: lossy-``â`` and lossless mojibake repair with
ftfy, NFC, whitespace) and empty paragraphs go; the author's name is cleaned the same way
(blank becomes ``None``). The body-only steps of :func:`~crawler.cleaning.clean_paragraphs`
are not applied: a comment is what a reader typed, not a template, so a comment that says
"Share this!" or repeats a line keeps it. A deleted comment keeps no text.
"""

from __future__ import annotations

from collections.abc import Sequence

from crawler.cleaning.report import CleaningReport
from crawler.cleaning.text import clean_texts
from crawler.items import BlogComment


def clean_comments(
    comments: Sequence[BlogComment], *, report: CleaningReport | None = None
) -> list[BlogComment]:
    """Return cleaned copies of ``comments`` (same order); with ``report``, add repairs to it."""
    if report is None:
        report = CleaningReport()
    # The thread's non-ASCII authors and paragraphs are cleaned in one call: a thread of
    # hundreds of comments is mostly text that needs nothing, which clean_texts finds with a
    # few tests of the joined text instead of one cleaning per string. ASCII text needs only
    # its whitespace normalised (_ascii_whitespace), cheapest one string at a time.
    texts: list[str] = []
    for comment in comments:
        if comment.author is not None:
            texts.append(comment.author)
        if not comment.deleted:
            texts.extend(comment.paragraphs)
    cleaned = [_ascii_whitespace(text) if text.isascii() else text for text in texts]
    others = [i for i, text in enumerate(texts) if not text.isascii()]
    repaired = clean_texts([texts[i] for i in others], report=report)
    for index, text in zip(others, repaired, strict=True):
        cleaned[index] = text
    result: list[BlogComment] = []
    position = 0  # of the comment's first text in cleaned
    for comment in comments:
        author = None
        if comment.author is not None:
            author = cleaned[position] or None
            position += 1
        paragraphs: list[str] = []
        if not comment.deleted:
            end = position + len(comment.paragraphs)
            paragraphs = list(filter(None, cleaned[position:end]))
            position = end
        result.append(_with_text(comment, author, paragraphs))
    return result


# The ASCII characters normalize_whitespace drops: C0 controls but tab, LF and CR, and DEL.
_ASCII_DROPPED = dict.fromkeys([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def _ascii_whitespace(text: str) -> str:
    """Return ``clean_text(text)`` for ASCII ``text``, without the expressions it runs.

    Every repair step but whitespace looks for non-ASCII characters (mojibake, lossy ``â``,
    non-NFC forms). In ASCII there is nothing but controls to drop and no joiner; what is
    left of the whitespace (space, tab, LF, CR) collapses to single spaces, trimmed.
    """
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text  # already normalised (the parser collapses most paragraphs)
    return " ".join(text.translate(_ASCII_DROPPED).split())


def _with_text(comment: BlogComment, author: str | None, paragraphs: list[str]) -> BlogComment:
    """Return a copy of ``comment`` with ``author`` and ``paragraphs``, as ``dataclasses.replace``.

    Built through the class's own ``__init__`` from the comment's fields, which costs half
    of what ``replace``'s per-field loop does (a thread of a thousand comments makes it count).
    """
    return BlogComment(**{**vars(comment), "author": author, "paragraphs": paragraphs})
