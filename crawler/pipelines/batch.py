"""A batch of records waiting to be written: what the store stage buffers and a spool file holds."""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.items import BlogPost, PostComments, PostGone, RejectedPage


@dataclass
class Batch:
    """Records waiting to be written, grouped by the run they belong to.

    ``counts`` maps a post URL to a comment count from the feed (refreshed in place);
    ``comments`` are comment listings from a comments feed (a post's page thread rides on
    its post);
    ``seen`` holds URLs of posts discovery listed but the crawl did not refetch (their
    ``last_seen_at`` moves); ``gone`` holds posts found deleted (marked ``deleted_at``);
    ``size`` is the number of records: posts, rejects, counts, comment listings and gone
    posts (``seen`` is not counted: it rides along with the records).
    """

    posts: dict[int | None, list[BlogPost]] = field(default_factory=dict)
    rejects: dict[int | None, list[RejectedPage]] = field(default_factory=dict)
    counts: dict[str, int | None] = field(default_factory=dict)
    comments: list[PostComments] = field(default_factory=list)
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
        self.seen |= other.seen
        self.gone = [*other.gone, *self.gone]
        self.size += other.size
