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
    """Return ``comments`` cleaned (same order, a new list); with ``report``, add repairs to it.

    A comment that cleaning leaves as it is (its author and paragraphs are their own
    results, none blank, and it is not a deleted comment holding text) is itself in the
    result, not a copy (copying cost a thread as much as its texts' cleaning); the others
    are new comments. ``comments`` are not changed, and the result's must not be.
    """
    if report is None:
        report = CleaningReport()
    texts: list[str] = []
    deleted_with_text = False
    for comment in comments:
        if comment.author is not None:
            texts.append(comment.author)
        if not comment.deleted:
            texts.extend(comment.paragraphs)
        elif comment.paragraphs:
            deleted_with_text = True
    # One batch: a thread of hundreds of comments is mostly text that needs nothing, which
    # clean_texts finds with a few tests of the joined texts instead of one cleaning per string.
    cleaned = clean_texts(texts, report=report)
    # The texts cleaning changed or left blank (found by C-level iteration), in order.
    touched = list(compress(range(len(texts)), map(is_not, cleaned, texts)))
    blank = not all(cleaned)
    if not touched and not blank and not deleted_with_text:
        # The commonest thread: every text is its own result (the very string) and none is
        # blank, so each comment keeps its author and paragraphs: each is kept.
        return list(comments)
    if blank:  # (blank texts, which may be their own results: rare)
        touched = sorted({*touched, *compress(range(len(texts)), map(not_, cleaned))})
    # Only the comments holding those are rebuilt, the others kept (a thread of hundreds
    # of comments holds a few damaged texts).
    touched.append(len(texts))  # a sentinel: no comment's texts reach it
    result: list[BlogComment] = []
    position = 0  # of the comment's first text in cleaned
    next_touched = iter(touched)
    upcoming = next(next_touched)
    for comment in comments:
        has_author = comment.author is not None
        if comment.deleted:  # its text goes
            end = position + has_author
            kept = upcoming >= end and not comment.paragraphs
        else:
            end = position + has_author + len(comment.paragraphs)
            kept = upcoming >= end
        if kept:
            result.append(comment)
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


_new = object.__new__
