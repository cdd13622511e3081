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
from itertools import compress
from operator import is_not, not_

from crawler.cleaning.report import CleaningReport
from crawler.cleaning.text import clean_texts
from crawler.items import BlogComment


def clean_comments(
    comments: Sequence[BlogComment], *, report: CleaningReport | None = None
) -> list[BlogComment]:
    """Return cleaned copies of ``comments`` (same order); with ``report``, add repairs to it."""
    if report is None:
        report = CleaningReport()
    texts: list[str] = []
    for comment in comments:
        if comment.author is not None:
            texts.append(comment.author)
        if not comment.deleted:
            texts.extend(comment.paragraphs)
    # One batch: a thread of hundreds of comments is mostly text that needs nothing, which
    # clean_texts finds with a few tests of the joined texts instead of one cleaning per string.
    cleaned = clean_texts(texts, report=report)
    # The texts cleaning changed or left blank (found by C-level iteration), in order.
    touched = list(compress(range(len(texts)), map(is_not, cleaned, texts)))
    blank = "" in cleaned
    if not touched and not blank:
        # The commonest thread: every text is its own result (the very string) and none is
        # blank, so each comment keeps its author and paragraphs; only the copies are made.
        return [_kept(comment) for comment in comments]
    if blank:  # (blank texts, which may be their own results: rare)
        touched = sorted({*touched, *compress(range(len(texts)), map(not_, cleaned))})
    # Only the comments holding those are rebuilt, the others copied (a thread of hundreds
    # of comments holds a few damaged texts).
    touched.append(len(texts))  # a sentinel: no comment's texts reach it
    result: list[BlogComment] = []
    position = 0  # of the comment's first text in cleaned
    next_touched = iter(touched)
    upcoming = next(next_touched)
    for comment in comments:
        has_author = comment.author is not None
        end = position + has_author + (0 if comment.deleted else len(comment.paragraphs))
        if upcoming >= end:
            result.append(_kept(comment))
        else:
            author = (cleaned[position] or None) if has_author else None
            first = position + has_author
            paragraphs = [] if comment.deleted else list(filter(None, cleaned[first:end]))
            result.append(_with_text(comment, author, paragraphs))
            while upcoming < end:
                upcoming = next(next_touched)
        position = end
    return result


def _with_text(comment: BlogComment, author: str | None, paragraphs: list[str]) -> BlogComment:
    """Return a copy of ``comment`` with ``author`` and ``paragraphs``, as ``dataclasses.replace``.

    Built without calling the class's ``__init__``, which only assigns the fields (a plain
    dataclass: no ``__post_init__``, no slots; a test checks both): the copy gets the
    comment's attributes and the two new ones. A thread of a thousand comments makes the
    half of the cost that this saves count.
    """
    fields = comment.__dict__.copy()
    fields["author"] = author
    fields["paragraphs"] = paragraphs
    copied = _new(BlogComment)
    copied.__dict__ = fields
    return copied


def _kept(comment: BlogComment) -> BlogComment:
    """Return ``_with_text(comment, comment.author, paragraphs)``, the paragraphs unchanged.

    For a comment whose texts cleaning keeps (the same strings, none blank): its paragraphs
    go into a new list, none for a deleted comment.
    """
    fields = comment.__dict__.copy()
    fields["paragraphs"] = [] if comment.deleted else comment.paragraphs.copy()
    copied = _new(BlogComment)
    copied.__dict__ = fields
    return copied


_new = object.__new__
