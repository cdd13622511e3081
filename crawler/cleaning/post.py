"""Cleaning of a whole :class:`~crawler.items.BlogPost` record."""

from __future__ import annotations

import dataclasses

from crawler.cleaning.comments import clean_comments
from crawler.cleaning.paragraphs import clean_paragraphs
from crawler.cleaning.report import CleaningReport
from crawler.cleaning.text import clean_text
from crawler.items import BlogPost


def clean_post(post: BlogPost, *, report: CleaningReport | None = None) -> BlogPost:
    """Return a cleaned copy of ``post``; ``post`` itself is not changed.

    ``title``, ``author`` and ``blog_title`` are text-cleaned (blank becomes ``None``);
    labels are text-cleaned, blank ones dropped and later duplicates removed; the body goes
    through :func:`~crawler.cleaning.clean_paragraphs` with the cleaned title; comments through
    :func:`crawler.cleaning.comments.clean_comments`. Other fields
    (including ``raw_page``) are carried over unchanged. With ``report``, what cleaning
    changed is added to it (the clean stage's statistics).
    """
    if report is None:
        report = CleaningReport()
    title = _clean_field(post.title, report)
    body = clean_paragraphs(post.body_paragraphs, title=title, report=report)
    return dataclasses.replace(
        post,
        title=title,
        body_paragraphs=body,
        author=_clean_field(post.author, report),
        blog_title=_clean_field(post.blog_title, report),
        labels=_clean_labels(post.labels, report),
        comments=clean_comments(post.comments, report=report),
    )


def _clean_field(text: str | None, report: CleaningReport) -> str | None:
    if text is None:
        return None
    return clean_text(text, report=report) or None


def _clean_labels(labels: list[str], report: CleaningReport) -> list[str]:
    seen: set[str] = set()
    result: list[str] = []
    for label in labels:
        cleaned = _clean_field(label, report)
        if cleaned is not None and cleaned not in seen:
            seen.add(cleaned)
            result.append(cleaned)
    return result
