"""A fake blog: the single source of truth the server renders and tests assert against.

Posts are kept newest first by ``published``. Mutations bump ``FakeBlog.generation`` so the
server drops cached bytes of that blog.
"""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING

from tests.fakeblog import prose
from tests.fakeblog.faults import Fault
from tests.fakeblog.posts import FakeComment, FakePost
from tests.fakeblog.prose import Block

if TYPE_CHECKING:
    from tests.fakeblog.spec import BlogSpec


class FakeBlog:
    """One fake blog: identity, settings (its ``BlogSpec``), posts and per-path faults.

    Mutation methods are thread-safe against the serving thread (they hold ``lock``), take
    effect immediately, and return what they changed.
    """

    def __init__(self, spec: BlogSpec, blog_id: str, posts: list[FakePost], clock: Clock):
        self.spec = spec
        self.blog_id = blog_id
        self.posts = posts
        self.title = spec.title or spec.host.split(".")[0].replace("-", " ").title()
        self.faults: dict[str, Fault] = {}
        self.gone: dict[str, int] = {}
        """Paths of deleted posts → the status their page answers (404 or 410)."""
        self.generation = 0
        self.lock = threading.RLock()
        self.authors = sorted({post.author for post in posts}) or ["Blog Author"]
        self._clock = clock
        self._rng = random.Random(int(blog_id) ^ 0xADD)
        self._last_change = max((p.page_modified for p in posts), default=_EPOCH)
        # Sidebars (labels, archive) show the blog as built, so that a mutation changes only
        # the pages it should (the post, its pager neighbours, listings, feeds, sitemaps).
        self._path_index: tuple[int, dict[str, int]] = (-1, {})
        self._by_updated: tuple[int, list[FakePost]] = (-1, [])
        self._comments_newest: tuple[int, list[tuple[FakePost, FakeComment]]] = (-1, [])
        self.sidebar_labels = self.labels
        self.sidebar_months = self.month_counts()

    @property
    def host(self) -> str:
        """The host the blog serves from: its custom domain if it has one, else blogspot."""
        return self.spec.custom_domain or self.spec.host

    @property
    def base_url(self) -> str:
        """``http://HOST`` (no trailing slash) of the serving host."""
        return f"http://{self.host}"

    @property
    def tz(self) -> timezone:
        """The blog's display time zone (a fixed UTC offset)."""
        return self.zone(self.spec)

    @staticmethod
    def zone(spec: BlogSpec) -> timezone:
        """The fixed-offset time zone ``spec`` asks for."""
        return timezone(timedelta(minutes=spec.utc_offset_minutes))

    @property
    def labels(self) -> list[str]:
        """Every label used by some post, sorted."""
        return sorted({label for post in self.posts for label in post.labels})

    def month_counts(self) -> list[tuple[int, int, int]]:
        """``(year, month, post count)`` of every month with posts (local time), newest first."""
        counts: dict[tuple[int, int], int] = {}
        for post in self.posts:
            local = post.published.astimezone(self.tz)
            counts[(local.year, local.month)] = counts.get((local.year, local.month), 0) + 1
        return [(y, m, n) for (y, m), n in sorted(counts.items(), reverse=True)]

    @property
    def modified(self) -> datetime:
        """The newest change anywhere in the blog (post edits, new posts, comments)."""
        return self._last_change

    def post(self, post_id: str) -> FakePost:
        """Return the post with ``post_id``; ``KeyError`` naming it if there is none."""
        for post in self.posts:
            if post.post_id == post_id:
                return post
        raise KeyError(f"no post {post_id!r} in {self.host}")

    def index_of(self, path: str) -> int | None:
        """Position in ``posts`` of the post at ``path`` (``/YYYY/MM/slug.html``), or None."""
        # Rebuilt once per generation: a scan per lookup would make big crawls quadratic.
        if self._path_index[0] != self.generation:
            self._path_index = (self.generation, {p.path: i for i, p in enumerate(self.posts)})
        return self._path_index[1].get(path)

    def ordered_by(self, key: str) -> list[FakePost]:
        """Posts newest first by ``published`` (``posts`` itself) or by ``updated`` (cached per
        generation). Callers must not modify the list."""
        if key == "published":
            return self.posts
        if self._by_updated[0] != self.generation:
            ordered = sorted(self.posts, key=lambda p: p.updated, reverse=True)
            self._by_updated = (self.generation, ordered)
        return self._by_updated[1]

    def comments_newest_first(self) -> list[tuple[FakePost, FakeComment]]:
        """Every (post, comment) of the blog, newest ``published`` first (cached per
        generation: a 50,000-comment feed is paged hundreds of times). Callers must not
        modify the list."""
        if self._comments_newest[0] != self.generation:
            pairs = [(post, comment) for post in self.posts for comment in post.comments]
            pairs.sort(key=lambda pair: pair[1].published, reverse=True)
            self._comments_newest = (self.generation, pairs)
        return self._comments_newest[1]

    def fault_for(self, post: FakePost) -> Fault | None:
        """The fault configured on the post's path, if any."""
        return self.faults.get(post.path)

    def fault_at(self, path: str, query: str) -> Fault | None:
        """The fault for a request of ``path?query``: the path's own, else one set on
        ``path?NAME=VALUE`` when the query has that parameter (one page of a feed)."""
        fault = self.faults.get(path)
        if fault is not None or not query:
            return fault
        for pair in query.split("&"):
            fault = self.faults.get(f"{path}?{pair}")
            if fault is not None:
                return fault
        return None

    def set_fault(self, post_or_path: FakePost | str, fault: Fault | None) -> None:
        """Attach ``fault`` to a post (or any path of this blog, or ``path?NAME=VALUE`` for the
        requests of the path with that query parameter); ``None`` removes it."""
        path = post_or_path.path if isinstance(post_or_path, FakePost) else post_or_path
        with self.lock:
            if fault is None:
                self.faults.pop(path, None)
            else:
                self.faults[path] = fault
            self.generation += 1

    def edit_post(
        self, post_id: str, new_paragraphs: list[str] | None = None, title: str | None = None
    ) -> FakePost:
        """Replace the body and/or title; bumps ``updated`` (so feed, sitemap lastmod, ETag)."""
        with self.lock:
            post = self.post(post_id)
            if new_paragraphs is not None:
                post._blocks = [Block("p", text) for text in new_paragraphs]
            if title is not None:
                post.title = title
            post.updated = self._tick()
            self.generation += 1
            return post

    def add_comment(self, post_id: str, text: str = "Thanks for this post!") -> FakeComment:
        """Add a comment now: page, ``thr:total`` and comment feeds change.

        The post's ``updated`` (feed ``<updated>``, sitemap ``lastmod``) is deliberately NOT
        bumped, as real Blogger does not reliably bump it; the page's ETag and Last-Modified
        do change. Raises ``ValueError`` when the post has comments off.
        """
        with self.lock:
            post = self.post(post_id)
            if post.comment_count is None:
                raise ValueError(f"comments are off for post {post_id!r}")
            comment = FakeComment(
                str(self._rng.randrange(10**17, 9 * 10**18)), "Anonymous", self._tick(), text
            )
            post.comments.append(comment)
            post.comment_count += 1
            self.generation += 1
            return comment

    def add_post(
        self,
        title: str | None = None,
        paragraphs: list[str] | None = None,
        labels: list[str] | None = None,
    ) -> FakePost:
        """Publish a new post now; it becomes the newest. Missing fields are generated."""
        with self.lock:
            seed = self._rng.getrandbits(48)
            rng = random.Random(seed)
            when = self._tick()
            title = title or prose.title(rng)
            post = FakePost(
                post_id=str(rng.randrange(10**17, 9 * 10**18)),
                blog_id=self.blog_id,
                url=self._permalink(when, title),
                title=title,
                labels=list(labels) if labels is not None else self.labels[:1],
                author=self.authors[0],
                published=when,
                updated=when,
                comment_count=0,
                theme=self.spec.theme,
                seed=seed,
            )
            if paragraphs is not None:
                post._blocks = [Block("p", text) for text in paragraphs]
            self.posts.insert(0, post)
            self.generation += 1
            return post

    def delete_post(self, post_id: str, status: int = 404) -> FakePost:
        """Remove a post: gone from feeds and sitemaps, its page answers ``status`` (404/410)."""
        if status not in (404, 410):
            raise ValueError(f"a deleted post answers 404 or 410, not {status}")
        with self.lock:
            post = self.post(post_id)
            self.posts.remove(post)
            self.gone[post.path] = status
            self._tick()
            self.generation += 1
            return post

    def restore_post(self, post: FakePost) -> FakePost:
        """Put a deleted ``post`` back as it was (a mistaken delete undone): feeds, sitemaps,
        its page. ``post.updated`` is unchanged, as when Blogger restores a post."""
        with self.lock:
            self.gone.pop(post.path, None)
            self.posts.append(post)
            self.posts.sort(key=lambda p: p.published, reverse=True)
            self._tick()
            self.generation += 1
            return post

    def _tick(self) -> datetime:
        # Strictly later than any earlier change, by at least a second, so Last-Modified
        # (whole seconds) always moves.
        now = max(self._clock().astimezone(self.tz), self._last_change + timedelta(seconds=1))
        now = now.replace(microsecond=now.microsecond // 1000 * 1000)  # Blogger keeps ms
        self._last_change = now
        return now

    def _permalink(self, when: datetime, title: str) -> str:
        local = when.astimezone(self.tz)
        base = f"/{local:%Y}/{local:%m}/{prose.slugify(title)}"
        taken = {post.path for post in self.posts}
        path, n = f"{base}.html", 1
        while path in taken:
            n += 1
            path = f"{base}_{n}.html"
        return f"{self.base_url}{path}"


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Clock:
    """Where mutations get "now" from: the real UTC clock unless a test supplies one."""

    def __init__(self, now: datetime | None = None):
        self._fixed = now

    def __call__(self) -> datetime:
        """Return the current time (timezone-aware)."""
        return self._fixed or datetime.now(UTC)

    def set(self, now: datetime) -> None:
        """Freeze the clock at ``now`` (aware)."""
        self._fixed = now
