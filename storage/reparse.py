"""Re-running a (newer) parser over the raw pages kept in the database.

Sources: unresolved ``rejected_pages`` rows with bytes, and ``posts`` whose raw page is kept.
A reject that now parses becomes a post and its row is marked resolved (``resolved_at``,
``resolved_post_id``), kept as history. A post is re-upserted, so a changed result writes a
revision as any other change does. Works in chunks, one transaction per chunk: an interrupted
reparse keeps what it finished. The parser is passed in; storage never imports it.

A stored post holds more than its page shows, and a reparse keeps that (so the same parser
over unchanged pages reports every post unchanged and leaves the rows as they were):

* ``updated_at`` and ``comment_count``, while set, are kept. The crawl takes them from outside
  the page: the feed's exact ``updated`` replaces the page's, the sitemap's ``lastmod`` fills a
  missing one, and the feed's ``thr:total`` refreshes counts of posts it does not refetch. So
  the stored values are newer or more exact than the kept page; replacing them would make the
  next incremental crawl refetch the post and would turn counts back. A parser fix to these two
  fields reaches rows where they are NULL; the crawl's feed keeps the others current.
* The Blogger ids fill in where the page (or the parser) gives none, so the row keeps its
  identity; ids the page does show win.
* ``last_seen_at`` of posts, blogs and comments stays as it is: a reparse is not a sighting on
  the web.

A post's page thread is stored with it (``comments``), as the crawl stores it, unless its
blog's comments are off (:class:`CommentSwitch`: ``reparse --no-comments`` for every blog, a
schedule's per-blog ``no_comments``). A kept page is older than what the crawl has stored
since, so its thread never marks a stored comment deleted, and the feed's values of a comment
win over the page's, as always (:mod:`storage.comments`).

A page re-parsed writes only its own blog, as in the crawl: the blog it was fetched from (and,
for a post, the blog of its row). A canonical URL on another blog is not believed, and Blogger
ids held by another blog's row are refused (``storage.ownership``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker, undefer

from crawler.items import BlogPost, FetchedPage
from crawler.urls import blog_home_url, url_forms
from storage.batch import page_comments
from storage.comments import upsert_comments
from storage.content import decompress
from storage.models import Blog, Post, RejectedPageRow
from storage.ownership import keep_on_source, source_blogs
from storage.repository import Outcome, upsert_posts

ParsePage = Callable[[FetchedPage], BlogPost]
"""Parse (and clean) one fetched page; raises one of the ``rejections`` for a non-post."""

CHUNK = 100
_MAX_ERRORS_KEPT = 20


@dataclass
class ReparseSummary:
    """What a reparse did; ``errors`` holds the first few unexpected parser failures."""

    pages: int = 0
    resolved_rejects: int = 0
    updated: int = 0
    unchanged: int = 0
    still_rejected: int = 0
    posts_no_longer_parsing: int = 0
    failed: int = 0
    comments_stored: int = 0
    """Comments of the page threads inserted or changed."""
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One line for people."""
        return (
            f"reparsed {self.pages} pages: {self.resolved_rejects} rejects became posts, "
            f"{self.updated} posts updated, {self.unchanged} unchanged, "
            f"{self.still_rejected} still rejected, {self.posts_no_longer_parsing} posts no "
            f"longer parse (kept), {self.failed} parser errors, "
            f"{self.comments_stored} comments stored"
        )


@dataclass(frozen=True)
class CommentSwitch:
    """Whose page threads a reparse stores: the crawl's comments switch, globally and per blog."""

    comments: bool = True
    """``False``: no thread at all (``--no-comments``)."""
    off_blogs: frozenset[str] = frozenset()
    """Canonical home URLs of the blogs whose comments are off (a schedule's ``no_comments``)."""

    def stores(self, blog_url: str | None) -> bool:
        """Whether the thread of a post of the blog at ``blog_url`` (its home) is stored."""
        return self.comments and blog_url not in self.off_blogs


@dataclass(frozen=True)
class _Stored:
    """What a stored post's row knows that its kept page may not show (see module docstring)."""

    updated_at: datetime | None
    comment_count: int | None
    blog_id: str | None
    post_id: str | None
    blog_url: str | None = None
    """Home URL of the row's blog."""


@dataclass(frozen=True)
class _Page:
    kind: str  # "reject" or "post"
    row_id: int
    fetched: FetchedPage
    stored: _Stored | None = None  # set for kind "post"

    def blogs(self) -> frozenset[str] | None:
        """Return the blogs this page may write (:func:`storage.ownership.source_blogs`)."""
        return source_blogs(self.fetched.url, self.stored.blog_url if self.stored else None)


def reparse(
    factory: sessionmaker[Session],
    parse: ParsePage,
    *,
    rejections: tuple[type[Exception], ...],
    parser_version: str,
    limit: int | None = None,
    progress: Callable[[ReparseSummary], None] | None = None,
    switch: CommentSwitch | None = None,
) -> ReparseSummary:
    """Re-parse up to ``limit`` stored pages (rejects first, oldest first); commits per chunk.

    ``progress`` is called after each chunk with the running summary. ``switch`` says whose
    page threads are stored (``None``: every blog's).
    """
    switch = switch or CommentSwitch()
    with factory() as session:
        refs = _page_refs(session, limit)
    summary = ReparseSummary()
    for start in range(0, len(refs), CHUNK):
        with factory.begin() as session:
            pages = _load(session, refs[start : start + CHUNK])
            _reparse_chunk(session, pages, parse, rejections, parser_version, summary, switch)
        if progress is not None:
            progress(summary)
    return summary


def _page_refs(session: Session, limit: int | None) -> list[tuple[str, int]]:
    rejects = (
        select(RejectedPageRow.id)
        .where(RejectedPageRow.resolved_at.is_(None), RejectedPageRow.body_size > 0)
        .order_by(RejectedPageRow.id)
        .limit(limit)
    )
    refs = [("reject", row_id) for row_id in session.scalars(rejects)]
    if limit is None or len(refs) < limit:
        room = None if limit is None else limit - len(refs)
        posts = select(Post.id).where(Post.raw_page.is_not(None)).order_by(Post.id).limit(room)
        refs += [("post", row_id) for row_id in session.scalars(posts)]
    return refs


def _load(session: Session, refs: Sequence[tuple[str, int]]) -> list[_Page]:
    reject_ids = [row_id for kind, row_id in refs if kind == "reject"]
    post_ids = [row_id for kind, row_id in refs if kind == "post"]
    pages: list[_Page] = []
    if reject_ids:
        query = select(RejectedPageRow).options(undefer(RejectedPageRow.body))
        for reject in session.scalars(query.where(RejectedPageRow.id.in_(reject_ids))):
            body = decompress(reject.body) if reject.body else b""
            fetched = FetchedPage(
                url=reject.url,
                body=body,
                status=reject.http_status or 200,
                content_type=reject.content_type,
            )
            pages.append(_Page("reject", reject.id, fetched))
    if post_ids:
        post_query = select(Post).options(undefer(Post.raw_page))
        stored_posts = list(session.scalars(post_query.where(Post.id.in_(post_ids))))
        blog_ids = sorted({stored.blog_id for stored in stored_posts})
        homes = dict(session.execute(select(Blog.id, Blog.url).where(Blog.id.in_(blog_ids))).all())
        for stored in stored_posts:
            fetched = FetchedPage(
                url=stored.raw_source_url or stored.url,
                body=decompress(stored.raw_page or b""),
                status=stored.raw_status or 200,
                content_type=stored.raw_content_type,
            )
            known = _Stored(
                updated_at=stored.updated_at,
                comment_count=stored.comment_count,
                blog_id=stored.blogger_blog_id,
                post_id=stored.blogger_post_id,
                blog_url=homes.get(stored.blog_id),
            )
            pages.append(_Page("post", stored.id, fetched, known))
    return pages


def _reparse_chunk(
    session: Session,
    pages: Sequence[_Page],
    parse: ParsePage,
    rejections: tuple[type[Exception], ...],
    parser_version: str,
    summary: ReparseSummary,
    switch: CommentSwitch,
) -> None:
    parsed: list[tuple[_Page, BlogPost]] = []
    for page in pages:
        summary.pages += 1
        try:
            post = parse(page.fetched)
        except rejections:
            if page.kind == "reject":
                summary.still_rejected += 1
            else:
                summary.posts_no_longer_parsing += 1
            continue
        except Exception as error:  # noqa: BLE001 - one bad page must not stop the reparse
            summary.failed += 1
            if len(summary.errors) < _MAX_ERRORS_KEPT:
                summary.errors.append(f"{page.fetched.url}: {type(error).__name__}: {error}")
            continue
        post.raw_page = page.fetched
        blogs = page.blogs()
        if blogs is not None:
            keep_on_source(post, page.fetched.url, blogs)
        if page.stored is not None:
            _keep_what_the_page_cannot_give(post, page.stored)
        parsed.append((page, post))
    outcomes = _upsert_by_source(session, parsed, parser_version)
    summary.comments_stored += _store_threads(session, parsed, outcomes, switch)
    resolved: list[tuple[int, BlogPost]] = []
    for (page, post), outcome in zip(parsed, outcomes, strict=True):
        if page.kind == "reject" and outcome is Outcome.REJECTED:
            summary.still_rejected += 1
        elif page.kind == "reject":
            resolved.append((page.row_id, post))
        elif outcome is Outcome.UPDATED:
            summary.updated += 1
        elif outcome is Outcome.REJECTED:
            summary.posts_no_longer_parsing += 1
        else:
            summary.unchanged += 1
    _mark_resolved(session, resolved)
    summary.resolved_rejects += len(resolved)


def _upsert_by_source(
    session: Session, parsed: Sequence[tuple[_Page, BlogPost]], parser_version: str
) -> list[Outcome]:
    """Upsert the posts, each group confined to the blogs its pages may write; input order."""
    groups: dict[frozenset[str] | None, list[int]] = {}
    for index, (page, _) in enumerate(parsed):
        groups.setdefault(page.blogs(), []).append(index)
    outcomes = [Outcome.UNCHANGED] * len(parsed)
    for blogs, indexes in groups.items():
        posts = [parsed[index][1] for index in indexes]
        results = upsert_posts(
            session, posts, parser_version=parser_version, seen=False, blogs=blogs
        )
        for index, outcome in zip(indexes, results, strict=True):
            outcomes[index] = outcome
    return outcomes


def _store_threads(
    session: Session,
    parsed: Sequence[tuple[_Page, BlogPost]],
    outcomes: Sequence[Outcome],
    switch: CommentSwitch,
) -> int:
    """Store the page threads of the posts stored, where ``switch`` allows them.

    Returns how many comments were inserted or changed. Never a deletion, never a sighting
    (see the module docstring).
    """
    listings = [
        dataclasses.replace(page_comments(post), complete=False)
        for (page, post), outcome in zip(parsed, outcomes, strict=True)
        if outcome is not Outcome.REJECTED and post.comments and switch.stores(_home(page, post))
    ]
    if not listings:
        return 0
    return upsert_comments(session, listings, sighting=False).stored


def _home(page: _Page, post: BlogPost) -> str | None:
    """Return the home URL of the blog a re-parsed post is stored on."""
    if page.stored is not None and page.stored.blog_url is not None:
        return page.stored.blog_url
    try:
        return blog_home_url(post.url)
    except ValueError:
        return None


def _keep_what_the_page_cannot_give(post: BlogPost, stored: _Stored) -> None:
    """Put into ``post`` what its stored row knows beyond the page (see module docstring)."""
    if stored.updated_at is not None:
        post.updated = stored.updated_at
    if stored.comment_count is not None:
        post.comment_count = stored.comment_count
    # Only fill gaps: ids that contradict the page's are the page's to decide.
    if post.blog_id in (None, stored.blog_id) and post.post_id in (None, stored.post_id):
        post.blog_id = post.blog_id or stored.blog_id
        post.post_id = post.post_id or stored.post_id


def _mark_resolved(session: Session, resolved: Sequence[tuple[int, BlogPost]]) -> None:
    now = datetime.now(UTC)
    for reject_id, post in resolved:
        post_id = _stored_post_id(session, post)
        session.execute(
            update(RejectedPageRow)
            .where(RejectedPageRow.id == reject_id)
            .values(resolved_at=now, resolved_post_id=post_id)
        )


def _stored_post_id(session: Session, post: BlogPost) -> int | None:
    found = session.scalar(select(Post.id).where(Post.url.in_(url_forms(post.url))))
    if found is None and post.blog_id and post.post_id:
        found = session.scalar(
            select(Post.id).where(
                Post.blogger_blog_id == post.blog_id, Post.blogger_post_id == post.post_id
            )
        )
    return found
