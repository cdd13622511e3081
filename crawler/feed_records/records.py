"""One post-feed entry to the same cleaned :class:`~crawler.items.BlogPost` its page gives.

The body goes through the page parser's own paragraph splitting
(:func:`crawler.parsing.body.body_paragraphs` and the template date-line rule) and then
through :func:`crawler.cleaning.clean_post`, exactly as ``parse_and_clean`` does for a page,
so the two records agree field by field. What only the page has is listed in docs/feeds.md.

Field sources: ``title`` the entry title; ``comment_count`` ``thr:total`` (``None`` when
absent: comments off); ``blog_id``/``post_id`` the entry id
``tag:blogger.com,1999:blog-BLOGID.post-POSTID``; ``author`` ``author/name`` (never the
e-mail); ``published``/``updated`` the entry's times; ``labels`` the Blogger-scheme
``category`` terms; ``url`` the canonical form of the ``alternate`` link; ``language`` the
feed's or entry's ``xml:lang``, else the blog's language the caller passed when reading the
feed (Blogger's feeds do not declare one); ``blog_title`` the feed title; ``source_url`` the
feed page URL; ``extractor`` ``feed-atom``/``feed-json``; ``raw_page`` the one-entry feed
(:attr:`~crawler.feed_records.entries.PostEntry.raw`, kept under the post's URL) for
``reparse``.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from crawler.cleaning import clean_post
from crawler.feed_records.entries import PostEntry, read_raw_entry
from crawler.feed_records.entry import feed_time
from crawler.feed_records.verdict import EntryVerdict, ParsedEntry, judge_entry
from crawler.items import BlogPost, FetchedPage, has_text
from crawler.parsing.body import body_paragraphs
from crawler.parsing.dates import split_date_line
from crawler.urls import blog_home_url, public_url

_POST_ID = re.compile(r"blog-(?P<blog>\d+)\.post-(?P<post>\d+)")
_NOREPLY = "noreply@blogger.com"


class EntryUnusableError(ValueError):
    """The entry cannot give the post; :attr:`reason` is the verdict's reason."""

    def __init__(self, entry: PostEntry, reason: str) -> None:
        self.reason = reason
        super().__init__(f"{entry.alternate_url or entry.entry_id or entry.feed_url}: {reason}")


def record_from_entry(entry: PostEntry | ParsedEntry) -> BlogPost:
    """Return the cleaned post record ``entry`` gives (see the module docstring).

    Raises :class:`EntryUnusableError` when :func:`~crawler.feed_records.entry_verdict`
    says the entry cannot give the post.
    """
    return build_record(entry)[0]


def build_record(entry: PostEntry | ParsedEntry) -> tuple[BlogPost, EntryVerdict]:
    """Return ``(record, verdict)``; the record only when the verdict is usable.

    The record is :func:`parse_entry` cleaned by :func:`~crawler.cleaning.clean_post`.
    Raises :class:`EntryUnusableError` otherwise (its ``reason`` is the verdict's).
    """
    parsed, verdict = parse_entry(entry)
    record = clean_post(parsed)
    if not has_text(record.title, record.body_paragraphs):
        # The page parser rejects such a page too (reject_empty_post): nothing to store.
        source = entry.entry if isinstance(entry, ParsedEntry) else entry
        raise EntryUnusableError(source, "empty content")
    return record, verdict


def parse_entry(entry: PostEntry | ParsedEntry) -> tuple[BlogPost, EntryVerdict]:
    """Return the entry's record *before cleaning* (what ``parse_page`` is for a page).

    The crawl hands it to the cleaning stage like a parsed page. ``raw_page`` is the raw
    entry under the post's URL (content type :attr:`PostEntry.raw_content_type`), so a kept
    raw entry re-parses alone. An entry already judged (:class:`ParsedEntry`, as the crawl's
    triage gives it) is not parsed again. Raises :class:`EntryUnusableError` when the verdict
    says no.
    """
    judged = entry if isinstance(entry, ParsedEntry) else judge_entry(entry)
    entry, body, verdict = judged.entry, judged.body, judged.verdict
    if not verdict.usable or body is None:
        raise EntryUnusableError(entry, verdict.reason or "no content")
    try:
        url = public_url(entry.alternate_url or "")  # the blog's own link, its scheme
    except ValueError:
        raise EntryUnusableError(entry, "no post link") from None
    match = _POST_ID.search(entry.entry_id or "")
    paragraphs, _date = split_date_line(body_paragraphs(body), url)
    parsed = BlogPost(
        url=url,
        title=_title(entry),
        body_paragraphs=paragraphs,
        comment_count=_count(entry.thr_total),
        blog_id=match.group("blog") if match else None,
        post_id=match.group("post") if match else None,
        author=_author(entry.author_name),
        published=feed_time(entry.published),
        updated=feed_time(entry.updated),
        labels=list(dict.fromkeys(entry.labels)),
        language=entry.language,
        blog_url=blog_home_url(url),
        blog_title=entry.blog_title,
        source_url=entry.feed_url or None,
        extractor=f"feed-{entry.feed_format}",
        raw_page=FetchedPage(url=url, body=entry.raw, content_type=entry.raw_content_type),
    )
    return parsed, verdict


def record_from_raw_entry(raw: bytes) -> BlogPost:
    """Rebuild the record from :attr:`PostEntry.raw` (kept like a raw page, for ``reparse``).

    ``record_from_raw_entry(entry.raw) == record_from_entry(entry)``. Raises
    :class:`~crawler.discovery.feed.FeedFormatError` for bytes that are not one entry and
    :class:`EntryUnusableError` for an entry that cannot give the post.
    """
    return record_from_entry(read_raw_entry(raw))


def _title(entry: PostEntry) -> str | None:
    if entry.title is None or not entry.title_is_html:
        return entry.title
    try:
        text: str = lxml.html.fragment_fromstring(entry.title, create_parent="div").text_content()
    except (etree.ParserError, ValueError):
        return None
    return text


def _author(name: str | None) -> str | None:
    # Blogger writes the e-mail as noreply@blogger.com; a name that is an address is not one.
    if name is None or "@" in name or name.strip().lower() == _NOREPLY:
        return None
    return name


def _count(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        value = int(text.strip())
    except ValueError:
        return None
    return value if value >= 0 else None
