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
    # Every author and paragraph of the thread is cleaned in one call: a thread of hundreds
    # of comments is mostly text that needs nothing, which clean_texts finds with a few tests
    # of the joined text instead of one cleaning per string.
    texts: list[str] = []
    for comment in comments:
        if comment.author is not None:
            texts.append(comment.author)
        if not comment.deleted:
            texts.extend(comment.paragraphs)
    cleaned = clean_texts(texts, report=report)
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


def _with_text(comment: BlogComment, author: str | None, paragraphs: list[str]) -> BlogComment:
    """Return a copy of ``comment`` with ``author`` and ``paragraphs``, as ``dataclasses.replace``.

    Built through the class's own ``__init__`` from the comment's fields, which costs half
    of what ``replace``'s per-field loop does (a thread of a thousand comments makes it count).
    """
    return BlogComment(**{**vars(comment), "author": author, "paragraphs": paragraphs})
