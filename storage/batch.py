"""Batches of records waiting to be written, and :func:`write_batch`, which writes one.

A :class:`Batch` is what a crawl's store stage buffers, what a spool file holds
(:mod:`storage.spool`) and what ``blogingest db load-spool`` loads. :func:`write_batch` takes
the caller's session and never commits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from crawler.items import BlogPost, PostComments, PostGone, RejectedPage
from crawler.urls import blog_home_url
from storage.blogs import blog_id_map
from storage.comments import CommentWrite, upsert_comments
from storage.deletions import mark_posts_deleted
from storage.repository import (
    Outcome,
    mark_seen,
    refresh_comment_counts,
    store_rejected,
    upsert_posts,
)


@dataclass
class Batch:
    """Records waiting to be written, grouped by the run they belong to.

    ``counts`` maps a post URL to a comment count from the feed (refreshed in place);
    ``comments`` are comment listings from a comments feed (a post's page thread rides on
    its post); ``no_threads`` holds the URLs of posts whose page thread is not stored (their
    blog's comments are off);
    ``seen`` holds URLs of posts discovery listed but the crawl did not refetch (their
    ``last_seen_at`` moves); ``gone`` holds posts found deleted (marked ``deleted_at``);
    ``size`` is the number of records: posts, rejects, counts, comment listings and gone
    posts (``seen`` is not counted: it rides along with the records).
    """

    posts: dict[int | None, list[BlogPost]] = field(default_factory=dict)
    rejects: dict[int | None, list[RejectedPage]] = field(default_factory=dict)
    counts: dict[str, int | None] = field(default_factory=dict)
    comments: list[PostComments] = field(default_factory=list)
    no_threads: set[str] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)
    gone: list[PostGone] = field(default_factory=list)
    size: int = 0

    def merge(self, other: Batch) -> None:
        """Put ``other``'s records in front of ours (an earlier batch that failed)."""
        for run, posts in other.posts.items():
            self.posts[run] = [*posts, *self.posts.get(run, [])]
        for run, pages in other.rejects.items():
            self.rejects[run] = [*pages, *self.rejects.get(run, [])]
        self.counts = {**other.counts, **self.counts}
        self.comments = [*other.comments, *self.comments]
        self.no_threads |= other.no_threads
        self.seen |= other.seen
        self.gone = [*other.gone, *self.gone]
        self.size += other.size


@dataclass
class WriteResult:
    """What :func:`write_batch` did: each post's outcome, the rejects, the counts and sightings."""

    outcomes: list[tuple[BlogPost, Outcome]]
    rejects: list[RejectedPage]
    counts_refreshed: int
    seen_marked: int = 0
    comments: CommentWrite | None = None
    """What storing the batch's comments did (``None``: the batch carried none)."""
    deleted_marked: int = 0


def write_batch(
    session: Session,
    batch: Batch,
    *,
    parser_version: str,
    blogs_of_run: Mapping[int | None, frozenset[str]] | None = None,
) -> WriteResult:
    """Write ``batch`` in the caller's transaction (never commits); return what happened.

    A post's page thread is stored with it unless its URL is in ``batch.no_threads`` (its
    blog's comments are off: ``--no-comments``, a schedule's or start job's ``no_comments``).

    ``parser_version`` is recorded on the posts and rejects written (the parser that made
    them). ``blogs_of_run``, when given, confines each run's posts to the blogs (canonical
    home URLs) of that run, and the posts of a run it does not name (one a worker has since
    replaced with a newer run of the blog) to the blogs of all its runs (see
    ``upsert_posts``).
    """
    outcomes: list[tuple[BlogPost, Outcome]] = []
    every_blog = frozenset().union(*blogs_of_run.values()) if blogs_of_run else frozenset()
    for run_id, posts in batch.posts.items():
        blogs = None if blogs_of_run is None else blogs_of_run.get(run_id, every_blog)
        results = upsert_posts(
            session, posts, run_id=run_id, parser_version=parser_version, blogs=blogs
        )
        outcomes.extend(zip(posts, results, strict=True))
    rejects: list[RejectedPage] = []
    for run_id, pages in batch.rejects.items():
        store_rejected(session, pages, parser_version=parser_version, run_id=run_id)
        rejects.extend(pages)
    refreshed = refresh_comment_counts(session, batch.counts) if batch.counts else 0
    threads = [
        page_comments(post)
        for post, outcome in outcomes
        if outcome is not Outcome.REJECTED and post.url not in batch.no_threads
    ]
    listings = [*threads, *batch.comments]
    written = upsert_comments(session, listings) if listings else None
    marked = mark_seen(session, batch.seen, datetime.now(UTC)) if batch.seen else 0
    return WriteResult(
        outcomes=outcomes,
        rejects=rejects,
        counts_refreshed=refreshed,
        seen_marked=marked,
        comments=written,
        deleted_marked=mark_gone(session, batch.gone),
    )


def mark_gone(session: Session, gone: Sequence[PostGone]) -> int:
    """Mark the posts of ``gone`` deleted, each only on its own blog; return how many changed.

    After the batch's posts: a post stored again in the same batch is revived first and then
    marked only if its page answered 404/410 later (it did, or it would not be here). A blog
    the database does not hold has no post to mark.
    """
    if not gone:
        return 0
    homes = {item.blog_url: blog_home_url(item.blog_url) for item in gone}
    blog_ids = blog_id_map(session, sorted(set(homes.values())))
    by_blog: dict[tuple[int, datetime], list[str]] = {}
    for item in gone:
        blog_id = blog_ids.get(homes[item.blog_url])
        if blog_id is not None:
            by_blog.setdefault((blog_id, item.checked_at), []).append(item.url)
    return sum(
        mark_posts_deleted(session, blog_id, urls, at) for (blog_id, at), urls in by_blog.items()
    )


def page_comments(post: BlogPost) -> PostComments:
    """Return the comment thread ``post``'s page showed, as a listing for the comments table.

    It is complete (so that a stored comment it lacks is marked deleted) only when the page
    held the whole thread and the thread has as many comments as the page's count says: a
    thread the parser read only in part must never delete anything.
    """
    whole = not post.comments_partial and post.comment_count == len(post.comments)
    return PostComments(
        post_url=post.url,
        blog_id=post.blog_id,
        post_id=post.post_id,
        comments=list(post.comments),
        source="page",
        complete=whole,
    )
