"""Blogger post pages (and plain-text captures) to :class:`crawler.items.BlogPost` records.

``parse_page(url, body)`` is pure: no network, no Scrapy, no storage. It parses the bytes
once with lxml, rejects pages that are not a single post (:class:`NotAPostError`) and bytes
that are not a document (:class:`UnreadablePageError`), finds the post body through the
theme families in :mod:`crawler.parsing.themes`, and reads the metadata and the comment
thread (:mod:`crawler.parsing.comment_thread`) nearest to that body. Cleaning (mojibake
repair, dedupe, boilerplate) is a separate stage.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from crawler.items import BlogPost
from crawler.parsing.around import walk_first_ring
from crawler.parsing.body import body_paragraphs, paragraphs_between
from crawler.parsing.comment_early import early_thread_container, holds_early_thread
from crawler.parsing.comment_thread import PageThread, read_container, thread_container
from crawler.parsing.comments import comment_count
from crawler.parsing.dates import published_time, split_date_line, updated_time
from crawler.parsing.document import Document, load_document, scripts_and_metas
from crawler.parsing.errors import NotAPostError, UnreadablePageError
from crawler.parsing.head import HeadFacts, read_head
from crawler.parsing.ids import post_id_from_body, read_blogger_ids
from crawler.parsing.jsonld import read_jsonld_post
from crawler.parsing.metadata import (
    blog_title,
    body_byline_author,
    page_language,
    post_author,
    post_labels,
    post_title,
)
from crawler.parsing.page_kind import (
    reject_declared_non_post,
    reject_empty_post,
    reject_listing,
    reject_missing_body,
    reject_url_shape,
)
from crawler.parsing.proximity import BodyNeighbourhood
from crawler.parsing.text_capture import (
    looks_like_text_capture,
    parse_text_capture,
    reject_tagless_html,
)
from crawler.parsing.themes import PageFacts, locate_post
from crawler.parsing.xpath import Strings
from crawler.urls import blog_home_url, public_url

PARSER_VERSION = "6"
"""Bumped whenever the records produced for the same bytes change."""

__all__ = [
    "PARSER_VERSION",
    "NotAPostError",
    "UnreadablePageError",
    "parse_page",
    "read_page_facts",
]

# CleanEval copies keep the page's URL only in their <text id=URL> wrapper.
_WRAPPER_URL = Strings("/html/body/text/@id | /html/body/*/text/@id")


def resolve_url(fetch_url: str) -> str:
    """Return the public form of an http(s) ``fetch_url``; anything else unchanged.

    The public form is :func:`~crawler.urls.public_url`'s. Anything else: a file path, a
    ``file:`` URI, or ``""`` when the source is unknown.
    """
    return first_canonical([fetch_url]) or fetch_url


def first_canonical(candidates: list[str]) -> str | None:
    """Return the public form of the first http(s) URL in ``candidates``, or None.

    :func:`~crawler.urls.public_url`: canonical, with the scheme the URL itself has on a
    custom domain (https on blogspot), so a page's own canonical link keeps its scheme.
    """
    for candidate in candidates:
        try:
            return public_url(candidate)
        except ValueError:
            continue
    return None


def _count_and_thread(
    body: HtmlElement, near: BodyNeighbourhood, title: str | None, *, early: bool
) -> tuple[int | None, PageThread]:
    """Return the comment count the page shows and the thread beside ``body``.

    ``early``: the page is of the first templates and its bytes mention their comment block
    (:mod:`crawler.parsing.comment_early`). Such a block beside the body is the page's whole
    comment section: those templates never paged comments and print no number, so its
    comments are the count, and an empty one states none (None; the later templates' count
    evidence is not searched for, on a page none of them made). Elsewhere the container is
    searched first: the rings its search asks for every comment evidence are kept on
    ``near`` and the count reads them (a page without a thread: both search every ring).
    """
    block = early_thread_container(near) if early else None
    if block is not None:
        thread = read_container(block, near=near)
        return len(thread.comments) or None, thread
    container = thread_container(body, near)
    count = comment_count(body, title, near)
    return count, read_container(container, shown=count, near=near)


def _page_canonical(doc: Document, head: HeadFacts) -> str | None:
    """Return the URL the page gives for itself: canonical link, ``og:url``, CleanEval id."""
    # The wrapper id comes last, so the tree is searched for it only when the head names no
    # usable URL (nearly every page does): the first usable candidate is the same either way.
    return first_canonical(head.url_candidates) or first_canonical(_WRAPPER_URL(doc.root))


def _blog_url(url: str) -> str | None:
    try:
        return blog_home_url(url)
    except ValueError:
        return None


def read_page_facts(url: str, body: bytes, content_type: str | None = None) -> PageFacts:
    """Parse ``body`` once and collect what the page says about itself (for the families).

    Raises :class:`UnreadablePageError` for bytes that are not a document and
    :class:`NotAPostError` when Blogger's declared page type, or the shape of ``url`` or of
    the page's canonical URL, names a page that is not a post.
    """
    doc = load_document(body, content_type)
    scripts, metas = scripts_and_metas(doc.root)
    ids = read_blogger_ids(doc.root, scripts, metas)
    reject_declared_non_post(ids, doc.body)
    head = read_head(doc.root)
    canonical = _page_canonical(doc, head)
    reject_url_shape(url, ids.page_type, canonical)
    return PageFacts(doc, ids, head, read_jsonld_post(scripts), canonical)


def parse_page(url: str, body: bytes, *, content_type: str | None = None) -> BlogPost:
    """Parse one fetched page into a post record (see the module docstring).

    ``url`` is where the bytes came from (fetch URL, file path or URI, or ``""`` when that is
    unknown, as for stdin); the record's ``url`` is canonical (``<link rel=canonical>``, then
    ``og:url``, then ``url``) and ``source_url`` is ``url`` as given. ``content_type`` is the
    HTTP header, if any.
    """
    if looks_like_text_capture(body, content_type):
        record = parse_text_capture(resolve_url(url), body, content_type)
        record.source_url = url
        record.blog_url = _blog_url(record.url)
        return record
    reject_tagless_html(body, content_type)
    facts = read_page_facts(url, body, content_type)
    doc, ids, head, ld = facts.doc, facts.ids, facts.head, facts.jsonld
    location = locate_post(facts)
    if location is None:
        raise reject_missing_body(facts)
    reject_listing(location, facts)
    near = BodyNeighbourhood(
        location.body,
        walk_first_ring=walk_first_ring,
        page_ids=facts.read_ids_text(),
        body_end=location.body_end,
    )
    record_url = facts.canonical or resolve_url(url)
    title = location.title_hint or post_title(near, ld, head)
    written = (
        body_paragraphs(location.body)
        if location.body_end is None
        else paragraphs_between(location.body, location.body_end)
    )
    paragraphs, date_line = split_date_line(written, record_url)
    reject_empty_post(title, paragraphs)
    count, thread = _count_and_thread(
        location.body, near, title, early=holds_early_thread(location.extractor, facts)
    )
    return BlogPost(
        url=record_url,
        title=title,
        body_paragraphs=paragraphs,
        comment_count=count,
        blog_id=ids.blog_id or head.blog_id,
        post_id=ids.post_id or head.post_id or post_id_from_body(location.body),
        author=location.author_hint or post_author(near, ld) or body_byline_author(paragraphs),
        published=published_time(near, ld, record_url, date_line, head),
        updated=updated_time(near, ld, head),
        labels=post_labels(near),
        language=page_language(doc.root, head, ld, ids.locale),
        blog_url=_blog_url(record_url),
        blog_title=blog_title(doc.root, head),
        source_url=url,
        extractor=location.extractor,
        comments=thread.comments,
        comments_partial=thread.partial,
    )
