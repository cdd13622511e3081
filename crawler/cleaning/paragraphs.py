"""Cleaning of a post body: a sequence of paragraphs."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress

from crawler.cleaning.boilerplate import strip_boilerplate
from crawler.cleaning.dedupe import drop_repeats
from crawler.cleaning.joined_body import JoinedBody
from crawler.cleaning.report import CleaningReport
from crawler.cleaning.text import clean_text, clean_texts_telling_nfkc


def clean_paragraphs(
    paragraphs: Sequence[str],
    *,
    title: str | None = None,
    report: CleaningReport | None = None,
) -> list[str]:
    """Return the body cleaned: texts cleaned, empty and boilerplate paragraphs and repeats gone.

    ``title`` is the post title (raw or clean); with it a ``N Response to "TITLE"`` footer is
    recognised anywhere in the body. The result keeps the input order and is a new list.
    With ``report``, what cleaning changed is added to it (the title is not counted).
    """
    if report is None:
        report = CleaningReport()
    texts, normal = clean_texts_telling_nfkc(list(paragraphs), report=report)
    clean_title = clean_text(title) if title is not None else None
    return finish_body(texts, normal, title=clean_title, report=report)


def finish_body(
    texts: list[str], normal: list[bool], *, title: str | None, report: CleaningReport
) -> list[str]:
    """Return the body whose paragraphs' cleaned texts are ``texts``, without what goes.

    The steps of :func:`clean_paragraphs` after the text cleaning: empty paragraphs, repeats
    and boilerplate removed (counted in ``report``). ``normal``: for each text whether it is
    known NFKC (:func:`~crawler.cleaning.text.clean_texts_telling_nfkc`); ``title``: the
    post title *cleaned* (or ``None``). ``texts`` may be the result (it is not kept).
    """
    cleaned = list(filter(None, texts))  # in C: a body has hundreds of paragraphs
    report.empty_removed += len(texts) - len(cleaned)
    # Repeats go before boilerplate: removing a repeat can leave template text at the tail,
    # which one stripping pass must see, or a second cleaning would remove more. (Which
    # texts are NFKC was told by their cleaning: the repeat test need not ask again.)
    known = normal if len(cleaned) == len(texts) else list(compress(normal, texts))
    # The body joined once, for the repeat test's sketches and the boilerplate scans.
    body = JoinedBody(cleaned)
    unique, dropped = drop_repeats(cleaned, nfkc_known=known, body=body)
    report.paragraphs_deduplicated += dropped
    kept, removed = strip_boilerplate(unique, title=title, body=None if dropped else body)
    report.boilerplate_removed += removed
    return kept
