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


PAGE_COMMENT_LIMIT = 200
"""The most comments a post page shows; Blogger loads the rest by script from the feed."""

REMOVAL_NOTICE = "This comment has been removed by the author."
"""What Blogger shows (page and feed) in place of a comment its author removed."""


@dataclass(frozen=True)
class FakeComment:
    """One comment on a post; ``parent_id`` is the comment it replies to, or ``None``.

    ``author_url`` is the commenter's profile (pages and feeds link it; ``None`` for an
    anonymous commenter). A ``deleted`` comment shows :data:`REMOVAL_NOTICE` instead of its
    text, and a correct crawl stores it with no paragraphs.
    """

    comment_id: str
    author: str
    published: datetime
    text: str
    parent_id: str | None = None
    author_url: str | None = None
    deleted: bool = False

    @property
    def shown_text(self) -> str:
        """What the page and the feed show as the comment's text."""
        return REMOVAL_NOTICE if self.deleted else self.text

    @property
    def paragraphs(self) -> list[str]:
        """The expected stored paragraphs: none for a deleted comment."""
        return [] if self.deleted else [self.text]


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
    comment_kinds: bool = field(default=False, repr=False)
    """Generate every kind of comment (see :func:`varied_comments`), not just plain ones."""

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
            self._comments = (
                varied_comments(self) if self.comment_kinds else _generate_comments(self)
            )
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


def page_thread(post: FakePost) -> tuple[list[FakeComment], bool]:
    """The comments a post page shows (at most :data:`PAGE_COMMENT_LIMIT`), and whether more
    exist (the page's "Load more" is live then)."""
    comments = post.comments
    return comments[:PAGE_COMMENT_LIMIT], len(comments) > PAGE_COMMENT_LIMIT


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


_FOREIGN_TEXTS = (
    "Sehr schöner Beitrag, danke fürs Teilen!",
    "Très intéressant, merci beaucoup pour ces détails.",
    "とても参考になりました。ありがとうございます。",
    "Muito bom, obrigado pela explicação!",
    "Спасибо, очень полезная статья.",
)


def varied_comments(post: FakePost) -> list[FakeComment]:
    """Every kind of comment a thread holds: threaded replies, anonymous commenters (no
    profile), commenters with a profile link, removed comments, non-English text.

    Deterministic from the post's seed; ``comment_count`` of them, oldest first.
    """
    rng = random.Random(post.seed ^ 0xC0FFEE)
    comments: list[FakeComment] = []
    when = post.published
    top_level: str | None = None
    for number in range(post.comment_count or 0):
        when += timedelta(minutes=rng.randint(1, 600), seconds=rng.randint(0, 59))
        when = when.replace(microsecond=rng.randrange(1000) * 1000)
        comment_id = str(rng.randrange(10**17, 9 * 10**18))
        parent = top_level if top_level and number % 3 == 2 else None
        anonymous = number % 5 == 1
        author = "Anonymous" if anonymous else prose.commenter(rng).replace("Anonymous", "Ana")
        text = rng.choice(_FOREIGN_TEXTS) if number % 4 == 3 else prose.comment_text(rng)
        comments.append(
            FakeComment(
                comment_id,
                author,
                when,
                text,
                parent,
                author_url=None
                if anonymous
                else f"https://www.blogger.com/profile/{10**19 + rng.randrange(10**18)}",
                deleted=number % 7 == 4,
            )
        )
        if parent is None:
            top_level = comment_id
    return comments
