"""``FakeBlogger``: a set of fake blogs, built deterministically from ``BlogSpec`` s and a seed."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from tests.fakeblog import prose
from tests.fakeblog.faults import Fault, FaultKind
from tests.fakeblog.model import Clock, FakeBlog
from tests.fakeblog.posts import FakePost
from tests.fakeblog.spec import BlogSpec


def _new_id(rng: random.Random) -> str:
    return str(rng.randrange(10**17, 9 * 10**18))


def build_blog(spec: BlogSpec, seed: int, clock: Clock) -> FakeBlog:
    """Generate the blog ``spec`` describes; the same ``(spec, seed)`` gives the same blog."""
    rng = random.Random(f"{seed}:{spec.host}")
    blog_id = _new_id(rng)
    authors = prose.author_names(rng, spec.authors)
    labels = prose.label_pool(rng, 8)
    span = int((spec.published_to - spec.published_from).total_seconds()) // 60
    minutes = sorted((rng.randrange(span) for _ in range(spec.posts)), reverse=True)
    posts: list[FakePost] = []
    taken: set[str] = set()
    tz = FakeBlog.zone(spec)
    previous = span + 1
    for minute in minutes:
        # Distinct publication minutes keep "Older posts" (updated-max) paging exact.
        minute = min(minute, previous - 1)
        previous = minute
        published = (spec.published_from + timedelta(minutes=minute)).astimezone(tz)
        published += timedelta(milliseconds=rng.randrange(1000))
        age = rng.choice((60, 3600, 86400, 86400 * 30, 86400 * 400))
        updated = published + timedelta(
            seconds=rng.randint(1, age), milliseconds=rng.randrange(1000)
        )
        # Never in the future of the generated timeline: edits come later, via the clock.
        updated = max(published, min(updated, spec.published_to.astimezone(tz)))
        title = prose.title(rng)
        path = _unique_path(published, title, taken)
        off = rng.random() < spec.comments_off_ratio
        posts.append(
            FakePost(
                post_id=_new_id(rng),
                blog_id=blog_id,
                url=f"http://{spec.custom_domain or spec.host}{path}",
                title=title,
                labels=rng.sample(labels, k=rng.choice((0, 1, 1, 2, 2, 3))),
                author=rng.choice(authors),
                published=published,
                updated=updated,
                comment_count=None if off else rng.choice((0, 0, rng.randint(1, 12))),
                theme=spec.theme,
                seed=rng.getrandbits(48),
            )
        )
    for post in posts:
        post.comment_kinds = spec.comment_kinds
        if spec.comments_per_post and post.comment_count is not None:
            post.comment_count = spec.comments_per_post
    if spec.big_thread:
        big = next((post for post in posts if post.comment_count is not None), None)
        if big is not None:
            big.comment_count = spec.big_thread
    blog = FakeBlog(spec, blog_id, posts, clock)
    for index, fault in spec.faults.items():
        blog.set_fault(posts[index], fault)
    blog.generation = 0
    return blog


def _unique_path(published: datetime, title: str, taken: set[str]) -> str:
    base = f"/{published:%Y}/{published:%m}/{prose.slugify(title)}"
    path, n = f"{base}.html", 1
    while path in taken:
        n += 1
        path = f"{base}_{n}.html"
    taken.add(path)
    return path


class FakeBlogger:
    """Several fake blogs served together, and what a correct crawl of them must store.

    ``clock`` supplies "now" for mutations (real UTC time by default; ``clock.set(dt)`` freezes
    it). Generated content lies in the past (2012 to mid-2026).
    """

    def __init__(self, blogs: Sequence[BlogSpec], seed: int = 1, clock: Clock | None = None):
        self.seed = seed
        self.clock = clock or Clock()
        self.blogs = [build_blog(spec, seed, self.clock) for spec in blogs]
        self._hosts: dict[str, tuple[FakeBlog, bool]] = {}
        for blog in self.blogs:
            for host, redirects in (
                (blog.spec.host, blog.host != blog.spec.host),
                (blog.host, False),
            ):
                if host in self._hosts and self._hosts[host][0] is not blog:
                    raise ValueError(f"host {host!r} is used by two fake blogs")
                self._hosts[host] = (blog, redirects)

    @classmethod
    def default(cls, seed: int = 1, faults: bool = True) -> FakeBlogger:
        """The three standard blogs (65 posts, three theme families), faults on by default.

        * ``fake-layouts.blogspot.com`` (Layouts, 25 posts, UTC-8): post 3 fails once with
          500, post 5 is deleted (404), post 7 is slow (1.5 s).
        * ``fake-contempo.blogspot.com`` → 301 → ``www.fake-contempo.test`` (Contempo, 20
          posts, UTC+1): post 4 serves an archive listing, post 6 is a redirect loop.
        * ``fake-plusui.blogspot.com`` (Plus UI, 20 posts, UTC+5:30, short feed): post 2 is
          truncated, post 8 is windows-1252, post 10 is a Dynamic Views shell.

        Post indexes are newest first. ``faults=False`` builds the same blogs without faults.
        """
        plan: list[dict[int, Fault]] = [
            {
                3: Fault(FaultKind.FAIL_ONCE),
                5: Fault(FaultKind.DELETED),
                7: Fault(FaultKind.SLOW, delay=1.5),
            },
            {4: Fault(FaultKind.NOT_A_POST), 6: Fault(FaultKind.REDIRECT_LOOP)},
            {
                2: Fault(FaultKind.TRUNCATED),
                8: Fault(FaultKind.CP1252),
                10: Fault(FaultKind.JS_SHELL),
            },
        ]
        if not faults:
            plan = [{}, {}, {}]
        specs = [
            BlogSpec(
                "fake-layouts.blogspot.com",
                theme="layouts",
                posts=25,
                title="Notes from the Layouts Garden",
                utc_offset_minutes=-480,
                faults=plan[0],
            ),
            BlogSpec(
                "fake-contempo.blogspot.com",
                theme="contempo",
                posts=20,
                title="Contempo Kitchen",
                custom_domain="www.fake-contempo.test",
                utc_offset_minutes=60,
                faults=plan[1],
            ),
            BlogSpec(
                "fake-plusui.blogspot.com",
                theme="plusui",
                posts=20,
                title="Plus Workshop",
                utc_offset_minutes=330,
                short_feed=True,
                faults=plan[2],
            ),
        ]
        return cls(specs, seed=seed)

    @classmethod
    def single(
        cls,
        posts: int = 5000,
        theme: str = "layouts",
        host: str = "bench.blogspot.com",
        seed: int = 1,
        **settings: Any,
    ) -> FakeBlogger:
        """One fault-free blog (for benchmarks); ``settings`` are further ``BlogSpec`` fields."""
        return cls([BlogSpec(host, theme=theme, posts=posts, **settings)], seed=seed)

    @property
    def hosts(self) -> list[str]:
        """Every host the fake blogs answer on (serving hosts and redirecting blogspot hosts)."""
        return sorted(self._hosts)

    def route(self, host: str) -> tuple[FakeBlog, bool] | None:
        """``(blog, redirects_to_custom_domain)`` for a request host, ``None`` if not fake."""
        return self._hosts.get(host.lower().rstrip("."))

    def blog(self, host: str) -> FakeBlog:
        """The blog answering on ``host``; ``KeyError`` naming the host if none does."""
        found = self.route(host)
        if found is None:
            raise KeyError(f"not a fake host: {host!r}")
        return found[0]

    def expected_posts(self) -> dict[str, FakePost]:
        """What a correct crawl must store now: canonical URL → snapshot of the post, for every
        post whose page serves it (no fault, or a fault a retrying crawler gets through).

        The posts are snapshots (``FakePost.snapshot``): mutating the blog afterwards does not
        change them, so a test can keep "what the first crawl must store" across an edit.
        """
        expected: dict[str, FakePost] = {}
        for blog in self.blogs:
            with blog.lock:
                for post in blog.posts:
                    fault = blog.fault_for(post)
                    if fault is None or fault.post_is_servable:
                        expected[post.canonical_url] = post.snapshot()
        return expected

    def faulty_posts(self) -> dict[str, tuple[FakePost, Fault]]:
        """Canonical URL → (snapshot of the post, fault) for every post with a fault on its page."""
        return {
            post.canonical_url: (post.snapshot(), fault)
            for blog in self.blogs
            for post in blog.posts
            if (fault := blog.fault_for(post)) is not None
        }
