"""Typed, validated crawl arguments, shared by the spiders and ``blogingest crawl``.

Spider arguments arrive as strings (``scrapy crawl blogger -a blogs=URL,URL -a full=1``); the
command line gives typed values. Both go through :func:`crawl_options`, which refuses a bad
value with :class:`CrawlOptionError` (one line naming the value) before any request is made.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from crawler.urls import canonical_host

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})
_HOST = re.compile(
    r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$"
)


class CrawlOptionError(ValueError):
    """A crawl argument that cannot be used; the message names the option and the value."""


@dataclass(frozen=True, kw_only=True)
class CrawlOptions:
    """What one crawl does, decided before the first request."""

    blogs: tuple[str, ...]
    """Start URLs, one per blog, as ``scheme://host[:port]/`` (scheme kept: tests use http)."""
    full: bool = False
    """True: ignore the last successful run and rediscover and refetch every post."""
    max_posts: int | None = None
    """At most this many post pages fetched per blog (``None``: no limit)."""
    run_id: int | None = None
    """An existing crawl-run record to fill (the scheduler's); needs exactly one blog."""
    include_pages: bool = False
    """Also fetch static pages (``/p/...``) listed by the blog."""
    trigger: str = "manual"
    """Who started the crawl, stored on new run records."""
    comments: bool = True
    """Store every comment (page threads and the comments feed); False: none, counts only."""


def blog_start_url(raw: str) -> str:
    """Return ``scheme://host[:port]/`` for a blog URL or bare host, or raise naming ``raw``.

    A bare host (``name.blogspot.com``) means https. Paths are dropped: a blog is its host.
    """
    text = raw.strip()
    candidate = text if "://" in text else f"https://{text}"
    parts = urlsplit(candidate)
    try:
        port = parts.port
    except ValueError:
        port = -1
    host = (parts.hostname or "").lower()
    if (
        parts.scheme.lower() not in {"http", "https"}
        or not _HOST.match(host)
        or port == -1
        or parts.username is not None
    ):
        raise CrawlOptionError(f"not a blog URL: {raw!r} (expected http(s)://HOST/ or HOST)")
    netloc = canonical_host(host) if port is None else f"{canonical_host(host)}:{port}"
    return f"{parts.scheme.lower()}://{netloc}/"


def parse_flag(name: str, value: str | bool | None) -> bool:
    """Read a yes/no option (``1/true/yes/on``, ``0/false/no/off``) or raise naming it."""
    if value is None or isinstance(value, bool):
        return bool(value)
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise CrawlOptionError(f"{name} must be yes or no, not {value!r}")


def parse_count(name: str, value: str | int | None, *, minimum: int = 1) -> int | None:
    """Read a whole number option (``None``/empty: not given) or raise naming it."""
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise CrawlOptionError(f"{name} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise CrawlOptionError(f"{name} must be at least {minimum}, not {number}")
    return number


def split_blogs(value: str | Iterable[str] | None) -> list[str]:
    """Split a comma- or space-separated ``blogs`` argument (or a list of them) into items."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    return [part for item in items for part in re.split(r"[,\s]+", item) if part]


def crawl_options(
    *,
    blogs: str | Iterable[str] | None,
    full: str | bool | None = None,
    max_posts: str | int | None = None,
    run_id: str | int | None = None,
    include_pages: str | bool | None = None,
    trigger: str | None = None,
    comments: str | bool | None = None,
) -> CrawlOptions:
    """Validate crawl arguments (strings or typed) into :class:`CrawlOptions`.

    Raises :class:`CrawlOptionError` for no blogs, a bad blog URL, a bad number or flag, or a
    ``run_id`` with more than one blog.
    """
    starts = list(dict.fromkeys(blog_start_url(raw) for raw in split_blogs(blogs)))
    if not starts:
        raise CrawlOptionError("no blog to crawl: give at least one blog URL")
    run = parse_count("run_id", run_id)
    if run is not None and len(starts) != 1:
        raise CrawlOptionError(f"run_id {run} needs exactly one blog, got {len(starts)}")
    return CrawlOptions(
        blogs=tuple(starts),
        full=parse_flag("full", full),
        max_posts=parse_count("max_posts", max_posts),
        run_id=run,
        include_pages=parse_flag("include_pages", include_pages),
        trigger=_trigger(trigger),
        comments=True if comments is None else parse_flag("comments", comments),
    )


# The width of crawl_runs.trigger: PostgreSQL refuses a longer value when the run is stored.
TRIGGER_MAX_CHARS = 32


def _trigger(value: str | None) -> str:
    trigger = (value or "manual").strip() or "manual"
    if len(trigger) > TRIGGER_MAX_CHARS:
        raise CrawlOptionError(
            f"trigger must be at most {TRIGGER_MAX_CHARS} characters, not {len(trigger)}"
        )
    return trigger
