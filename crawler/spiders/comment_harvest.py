"""What the comments-feed route keeps while it reads a blog's comments feed.

Each feed page becomes :class:`~crawler.items.PostComments` listings, one per post on the page
(stored as they come, never held to the end). A *whole* read (no ``published-min``: every
comment of the blog) that reaches the feed's end with every promised entry listed is a
complete listing of each post it names: one closing listing per post then carries the ids read
(:attr:`~crawler.items.PostComments.listed_ids`), so that a stored comment the feed no longer
lists is marked deleted. The ids held are bounded (:data:`MAX_HELD_IDS`); past the bound the
read is no longer treated as complete (nothing is marked deleted) and the bound is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.feed_records.comment_entries import CommentFeedPage
from crawler.items import PostComments

MAX_HELD_IDS = 2_000_000
"""Comment ids one blog's whole read holds at most for its closing listings (~100 MB)."""

_PostKey = tuple[str | None, str | None, str | None]


@dataclass
class _WholeRead:
    ids: dict[_PostKey, list[str]] = field(default_factory=dict)
    held: int = 0
    overflowed: bool = False


class CommentHarvest:
    """Listings from comments-feed pages, per blog (by start URL), and closing listings."""

    def __init__(self, max_held_ids: int = MAX_HELD_IDS) -> None:
        self.max_held_ids = max_held_ids
        self._reads: dict[str, _WholeRead] = {}

    def listings(self, blog: str, page: CommentFeedPage, *, whole: bool) -> list[PostComments]:
        """Return one listing per post of ``page`` (uncleaned; the clean stage cleans them).

        ``whole``: the page belongs to a read of every comment of ``blog``, whose ids are
        kept for :meth:`closing_listings`.
        """
        by_post: dict[_PostKey, PostComments] = {}
        for read in page.comments:
            key = (read.blog_id, read.post_id, read.post_url)
            listing = by_post.get(key)
            if listing is None:
                listing = by_post[key] = PostComments(
                    post_url=read.post_url,
                    blog_id=read.blog_id,
                    post_id=read.post_id,
                    source_url=page.url,
                )
            listing.comments.append(read.comment)
        if whole:
            self._keep(blog, by_post)
        return list(by_post.values())

    def _keep(self, blog: str, by_post: dict[_PostKey, PostComments]) -> None:
        read = self._reads.setdefault(blog, _WholeRead())
        if read.overflowed:
            return
        for key, listing in by_post.items():
            ids = [comment.id for comment in listing.comments if comment.id]
            if read.held + len(ids) > self.max_held_ids:
                read.overflowed = True
                read.ids.clear()
                return
            read.ids.setdefault(key, []).extend(ids)
            read.held += len(ids)

    def closing_listings(
        self, blog: str, source_url: str, *, complete: bool, total: int | None
    ) -> list[PostComments]:
        """Return the closing listings of ``blog``'s whole read and forget it.

        Empty unless ``complete`` (the read reached the feed's end, no bound hit), this
        process read at least the ``total`` comments the feed promised (``openSearch``; a
        worker that saw only some pages of a shared crawl closes nothing) and the ids stayed
        within :attr:`max_held_ids`.
        """
        read = self._reads.pop(blog, None)
        if read is None or not complete or read.overflowed:
            return []
        if total is None or read.held < total:
            return []
        return [
            PostComments(
                post_url=url,
                blog_id=blog_id,
                post_id=post_id,
                source_url=source_url,
                complete=True,
                listed_ids=ids,
            )
            for (blog_id, post_id, url), ids in read.ids.items()
        ]

    def overflowed(self, blog: str) -> bool:
        """Whether ``blog``'s whole read passed :attr:`max_held_ids` (a bound to report)."""
        read = self._reads.get(blog)
        return read is not None and read.overflowed
