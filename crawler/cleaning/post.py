"""Cleaning of a whole :class:`~crawler.items.BlogPost` record."""

from __future__ import annotations

import dataclasses

from crawler.cleaning.comments import clean_comments
from crawler.cleaning.paragraphs import clean_paragraphs_counted
from crawler.cleaning.report import CleaningReport
from crawler.cleaning.text import clean_text_reporting
from crawler.items import BlogPost


def clean_post(post: BlogPost) -> BlogPost:
    """Return a cleaned copy of ``post``; ``post`` itself is not changed.

    ``title``, ``author`` and ``blog_title`` are text-cleaned (blank becomes ``None``);
    labels are text-cleaned, blank ones dropped and later duplicates removed; the body goes
    through :func:`~crawler.cleaning.clean_paragraphs` with the cleaned title; comments through
    :func:`crawler.cleaning.comments.clean_comments`. Other fields
    (including ``raw_page``) are carried over unchanged.
    """
    return clean_post_counted(post)[0]


def clean_post_counted(post: BlogPost) -> tuple[BlogPost, CleaningReport]:
    """Return ``(clean_post(post), a report of what cleaning changed)``."""
    report = CleaningReport()
    title = _clean_field(post.title, report)
    body = clean_paragraphs_counted(post.body_paragraphs, title=title, report=report)
    cleaned = dataclasses.replace(
        post,
        title=title,
        body_paragraphs=body,
        author=_clean_field(post.author, report),
        blog_title=_clean_field(post.blog_title, report),
        labels=_clean_labels(post.labels, report),
        comments=clean_comments(post.comments, report),
    )
    return cleaned, report


def _clean_field(text: str | None, report: CleaningReport) -> str | None:
    if text is None:
        return None
    cleaned, repaired = clean_text_reporting(text)
    report.mojibake_repaired += repaired
    return cleaned or None


def _clean_labels(labels: list[str], report: CleaningReport) -> list[str]:
    seen: set[str] = set()
    result: list[str] = []
    for label in labels:
        cleaned = _clean_field(label, report)
        if cleaned is not None and cleaned not in seen:
            seen.add(cleaned)
            result.append(cleaned)
    return result
