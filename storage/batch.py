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
from storage.content import PostRow, UnstorablePost, prepare_post
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
    prepared: dict[int | None, list[PostRow | UnstorablePost | None]] = field(
        default_factory=dict, repr=False, compare=False
    )
    """Per run, each post's row built ahead (:meth:`add_post`), in step with ``posts``; a
    run whose posts were not all added so (a spool file's) is built at the write."""
    rejects: dict[int | None, list[RejectedPage]] = field(default_factory=dict)
    counts: dict[str, int | None] = field(default_factory=dict)
    comments: list[PostComments] = field(default_factory=list)
    no_threads: set[str] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)
    gone: list[PostGone] = field(default_factory=list)
    size: int = 0

    def add_post(self, run_id: int | None, post: BlogPost) -> None:
        """Add ``post`` to ``run_id``'s posts with its row, built now (not counted in ``size``).

        Building rows as records arrive keeps the work out of the batch's transaction. A row
        that cannot be built for a reason other than the post's defects (a bug) is left to
        the write, which raises there as it always did: the post is never lost here.
        """
        try:
            row: PostRow | UnstorablePost | None = prepare_post(post)
        except Exception:  # noqa: BLE001 - see the docstring: built (and raised) at the write
            row = None
        self.posts.setdefault(run_id, []).append(post)
        self.prepared.setdefault(run_id, []).append(row)

    def prepared_rows(self, run_id: int | None) -> list[PostRow | UnstorablePost | None] | None:
        """Return ``run_id``'s prepared rows when every post of it has one slot, else None."""
        rows = self.prepared.get(run_id, [])
        return rows if len(rows) == len(self.posts.get(run_id, [])) else None

    def merge(self, other: Batch) -> None:
        """Put ``other``'s records in front of ours (an earlier batch that failed)."""
        for run, posts in other.posts.items():
            ahead, ours = other.prepared_rows(run), self.prepared_rows(run)
            self.posts[run] = [*posts, *self.posts.get(run, [])]
            if ahead is not None and ours is not None:
                self.prepared[run] = [*ahead, *ours]
            else:
                self.prepared.pop(run, None)
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
            session,
            posts,
            run_id=run_id,
            parser_version=parser_version,
            blogs=blogs,
            prepared=batch.prepared_rows(run_id),
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
        if post.url not in batch.no_threads and _thread_may_write(post, outcome)
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


def _thread_may_write(post: BlogPost, outcome: Outcome) -> bool:
    """Whether ``post``'s page thread can change anything stored, given how the post went.

    A rejected post has no row to hang comments on. A post inserted just now (a new row: the
    posts writer holds the change counter, so no other writer stored it meanwhile) has no
    stored comment an empty thread could mark deleted.
    """
    if outcome is Outcome.REJECTED:
        return False
    return bool(post.comments) or outcome is not Outcome.INSERTED


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
