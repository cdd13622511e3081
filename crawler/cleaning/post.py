"""Cleaning of a whole :class:`~crawler.items.BlogPost` record."""

from __future__ import annotations

from crawler.cleaning.comments import clean_comments
from crawler.cleaning.paragraphs import finish_body
from crawler.cleaning.report import CleaningReport
from crawler.cleaning.text import clean_texts_telling_nfkc
from crawler.items import BlogPost


def clean_post(post: BlogPost, *, report: CleaningReport | None = None) -> BlogPost:
    """Return a cleaned copy of ``post``; ``post`` itself is not changed.

    ``title``, ``author`` and ``blog_title`` are text-cleaned (blank becomes ``None``);
    labels are text-cleaned, blank ones dropped and later duplicates removed; the body goes
    through :func:`~crawler.cleaning.clean_paragraphs` with the cleaned title; comments through
    :func:`crawler.cleaning.comments.clean_comments`. Other fields
    (including ``raw_page``) are carried over unchanged. With ``report``, what cleaning
    changed is added to it (the clean stage's statistics).

    The body's paragraphs, the title, author, blog title and labels are text-cleaned in one
    batch (:func:`~crawler.cleaning.text.clean_texts_telling_nfkc`, each text as
    :func:`~crawler.cleaning.clean_text` would clean it): a record's short fields cost a few
    tests of the joined texts instead of a cleaning each.
    """
    if report is None:
        report = CleaningReport()
    paragraphs = post.body_paragraphs
    fields = [text for text in (post.title, post.author, post.blog_title) if text is not None]
    texts, normal = clean_texts_telling_nfkc([*paragraphs, *fields, *post.labels], report=report)
    count = len(paragraphs)
    field_texts = iter(texts[count : count + len(fields)])
    title, author, blog_title = (
        None if text is None else next(field_texts) or None
        for text in (post.title, post.author, post.blog_title)
    )
    # Blank labels go, then later duplicates (dict keys keep the first one's place).
    labels = list(dict.fromkeys(filter(None, texts[count + len(fields) :])))
    body = finish_body(texts[:count], normal[:count], title=title, report=report)
    comments = clean_comments(post.comments, report=report) if post.comments else []
    return _copied(
        post,
        {
            "title": title,
            "body_paragraphs": body,
            "author": author,
            "blog_title": blog_title,
            "labels": labels,
            "comments": comments,
        },
    )


def _copied(post: BlogPost, changes: dict[str, object]) -> BlogPost:
    """Return ``dataclasses.replace(post, **changes)``, for less.

    Built without calling the class's ``__init__``, which only assigns the fields (a plain
    dataclass: no ``__post_init__``, no slots; a test checks both): the copy gets the
    record's attributes and the changed ones. ``dataclasses.replace`` looks the fields up
    and calls ``__init__`` with each (some 10 us, as much as cleaning a short body's texts).
    """
    copied = _new(BlogPost)
    copied.__dict__ = {**post.__dict__, **changes}
    return copied


_new = object.__new__
