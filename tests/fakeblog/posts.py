"""A fake post and its comments: what the server renders and what a crawl must store.

Times are timezone-aware, in the blog's own UTC offset, with millisecond precision (as Blogger
shows them). A post's body text is generated lazily from its own seed, so building 5,000 posts
is fast and touching one post is cheap.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from crawler.urls import public_url
from tests.fakeblog import prose
from tests.fakeblog.prose import Block

IMAGE_HOST = "blogger.googleusercontent.com"
"""Where generated image-only blocks point (never fetched: the server answers 502 for it)."""


@dataclass(frozen=True)
class FakeComment:
    """One comment on a post; ``parent_id`` is the comment it replies to, or ``None``."""

    comment_id: str
    author: str
    published: datetime
    text: str
    parent_id: str | None = None


@dataclass(eq=False)
class FakePost:
    """One post as the fake blog serves it, and as a correct crawl must store it.

    ``comment_count`` is ``None`` when comments are off for the post (no count anywhere:
    no ``thr:total``, no heading, no ``data-num-comments``).
    """

    post_id: str
    blog_id: str
    url: str
    """The served permalink, ``http://HOST/YYYY/MM/slug.html`` on the blog's serving host."""
    title: str
    labels: list[str]
    author: str
    published: datetime
    updated: datetime
    comment_count: int | None
    theme: str
    seed: int = field(repr=False)
    _blocks: list[Block] | None = field(default=None, repr=False)
    _comments: list[FakeComment] | None = field(default=None, repr=False)

    @property
    def path(self) -> str:
        """The permalink's path, ``/YYYY/MM/slug.html``."""
        return "/" + self.url.split("/", 3)[3]

    @property
    def canonical_url(self) -> str:
        """``crawler.urls.public_url`` of the permalink: the URL a crawl stores it under.

        https on blogspot; a custom domain's ``http`` (its pages' canonical links say http).
        """
        return public_url(self.url)

    @property
    def blocks(self) -> list[Block]:
        """The body as blocks (see ``prose.Block``), generated on first use."""
        if self._blocks is None:
            self._blocks = prose.body_blocks(random.Random(self.seed), IMAGE_HOST)
        return self._blocks

    @property
    def paragraphs(self) -> list[str]:
        """The clean expected ``body_paragraphs``: one per paragraph, heading and list item."""
        return [block.text for block in self.blocks if block.kind != "img"]

    @property
    def comments(self) -> list[FakeComment]:
        """The post's comments, oldest first; empty when comments are off."""
        if self._comments is None:
            self._comments = _generate_comments(self)
        return self._comments

    def snapshot(self) -> FakePost:
        """A frozen-in-time copy: later mutations of the blog do not change it."""
        return dataclasses.replace(
            self, labels=list(self.labels), _blocks=list(self.blocks), _comments=list(self.comments)
        )

    @property
    def page_modified(self) -> datetime:
        """When the post page last changed: ``updated`` or the newest comment, if later."""
        newest = max((c.published for c in self.comments), default=self.updated)
        return max(self.updated, newest)


def _generate_comments(post: FakePost) -> list[FakeComment]:
    rng = random.Random(post.seed ^ 0x5EED)
    comments: list[FakeComment] = []
    when = post.published
    top_level: str | None = None
    for _ in range(post.comment_count or 0):
        when += timedelta(hours=rng.randint(1, 96), seconds=rng.randint(0, 59))
        comment_id = str(rng.randrange(10**17, 9 * 10**18))
        # Every third comment is a reply, which makes the comment list threaded.
        parent = top_level if top_level and rng.random() < 0.33 else None
        comments.append(
            FakeComment(comment_id, prose.commenter(rng), when, prose.comment_text(rng), parent)
        )
        if parent is None:
            top_level = comment_id
    return comments
