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
from operator import is_, not_

from crawler.cleaning.report import CleaningReport
from crawler.cleaning.text import ASCII_SEPARATOR, clean_texts, settled_whitespace
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
    cleaned = _cleaned(texts, report)
    if "" not in cleaned and all(map(is_, cleaned, texts)):
        # The commonest thread: every text is its own result (the very string) and none is
        # blank, so each comment keeps its author and paragraphs; only the copies are made.
        return [_kept(comment) for comment in comments]
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


def _cleaned(texts: list[str], report: CleaningReport) -> list[str]:
    """Return :func:`~crawler.cleaning.text.clean_text` of each of ``texts``, in order.

    The thread's non-ASCII texts are cleaned in one call: a thread of hundreds of comments is
    mostly text that needs nothing, which clean_texts finds with a few tests of the joined
    text instead of one cleaning per string. ASCII text needs only its whitespace normalised
    (:func:`_ascii_whitespace`); when the joined ASCII texts show that none needs even that
    (:func:`~crawler.cleaning.text.settled_whitespace`), each is its own result.
    """
    # Sorted and merged back by C-level iteration (map, compress); a thread whose every text
    # is its own result (the commonest) is returned as it is, without a loop over its texts.
    ascii_flags = list(map(str.isascii, texts))
    other_texts = list(compress(texts, map(not_, ascii_flags)))
    if not other_texts:
        return _ascii_cleaned(texts)
    ascii_texts = list(compress(texts, ascii_flags))
    repaired = clean_texts(other_texts, report=report)
    rewritten = _ascii_cleaned(ascii_texts)
    if rewritten is ascii_texts and all(map(is_, repaired, other_texts)):
        return texts
    ascii_results, other_results = iter(rewritten), iter(repaired)
    return [next(ascii_results) if flag else next(other_results) for flag in ascii_flags]


def _ascii_cleaned(texts: list[str]) -> list[str]:
    """Return :func:`_ascii_whitespace` of each of the ASCII ``texts`` (``texts`` if all keep)."""
    if settled_whitespace(ASCII_SEPARATOR.join(texts)):
        return texts
    return [_ascii_whitespace(text) for text in texts]


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
