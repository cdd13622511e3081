"""Crawl options: the one carrier of what a crawl does, validated once, in one place.

Every way a crawl is asked for ends in :func:`crawl_options`, which refuses a bad value with
:class:`CrawlOptionError` (one line naming the value, its ``option`` attribute naming the
option) before any request is made:

- ``blogingest crawl`` reads its arguments with :func:`add_crawl_arguments` and
  :func:`options_from_namespace`;
- ``scrapy crawl blogger -a NAME=VALUE`` strings go through :func:`parse_crawl_arguments`
  (an unknown name is refused, naming it);
- the schedule's TOML ``options`` and the Redis start job's JSON go through
  :func:`options_from_table` (typed values: a flag must be a boolean);
- a crawl command line (the scheduler's argv) is read back by :func:`options_from_command_line`.

Going the other way, :meth:`CrawlOptions.to_arguments` gives the command line and
:meth:`CrawlOptions.to_spider_arguments` the ``-a`` strings that read back to equal options.
Nothing here imports Scrapy, storage, the scheduler or the command line: all of them use it.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NoReturn
from urllib.parse import urlsplit

from crawler.urls import canonical_host

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})
_HOST = re.compile(
    r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$"
)

FLAG_OPTIONS = ("full", "include_pages", "no_comments")
"""Yes/no options: a bare ``--full`` on the command line, ``true``/``false`` in a table."""
COUNT_OPTIONS = ("max_posts", "run_id")
"""Whole-number options of at least 1."""
OPTION_NAMES = (
    "full",
    "include_pages",
    "max_posts",
    "no_comments",
    "run_id",
    "trigger",
    "source",
)
"""Every option besides the blogs as a flag or table key names it, in the order flags are
written. ``no_comments`` is the flag of ``CrawlOptions.comments`` turned off."""
ARGUMENT_NAMES = (
    "blogs",
    "full",
    "include_pages",
    "max_posts",
    "run_id",
    "trigger",
    "comments",
    "source",
)
"""The names ``scrapy crawl -a`` takes: the fields of :class:`CrawlOptions`."""
DEFAULT_TRIGGER = "manual"


class CrawlOptionError(ValueError):
    """A crawl option that cannot be used; the message (one line) names the option and value.

    ``option`` is the option's name (``blogs`` for a blog URL).
    """

    def __init__(self, message: str, *, option: str) -> None:
        super().__init__(message)
        self.option = option


class UnknownCrawlOption(CrawlOptionError):
    """An option name no crawl takes (a typo: ``max_post``)."""


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
    trigger: str = DEFAULT_TRIGGER
    """Who started the crawl, stored on new run records."""
    comments: bool = True
    """Store every comment (page threads and the comments feed); False: none, counts only."""
    source: str | None = None
    """Where post records come from: ``auto``, ``feed`` or ``pages`` (docs/feeds.md);
    ``None``: the ``BLOGINGEST_SOURCE`` setting (``auto`` unless set)."""

    def flag_arguments(self) -> list[str]:
        """Return the command-line flags of these options (blogs not included), by name.

        A flag at its default is left out, so the list is what a user would have typed.
        """
        flags: list[str] = []
        for name in OPTION_NAMES:
            value = not self.comments if name == "no_comments" else getattr(self, name)
            if value is None or value is False or value == _DEFAULTS.get(name):
                continue
            flag = "--" + name.replace("_", "-")
            flags += [flag] if value is True else [flag, str(value)]
        return flags

    def to_arguments(self) -> list[str]:
        """Return ``blogingest crawl``'s arguments for these options: the blogs, then the flags."""
        return [*self.blogs, *self.flag_arguments()]

    def to_spider_arguments(self) -> dict[str, str]:
        """Return the ``scrapy crawl -a NAME=VALUE`` strings of these options (defaults left out).

        :func:`parse_crawl_arguments` reads them back to equal options.
        """
        arguments = {"blogs": ",".join(self.blogs)}
        for name in ARGUMENT_NAMES[1:]:
            value = getattr(self, name)
            if value != _DEFAULTS[name]:
                arguments[name] = {True: "1", False: "0"}.get(value, str(value))
        return arguments


_DEFAULTS = {
    "full": False,
    "include_pages": False,
    "max_posts": None,
    "run_id": None,
    "trigger": DEFAULT_TRIGGER,
    "comments": True,
    "source": None,
}
"""Each field's default (a flag at its default is not written)."""


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
        raise CrawlOptionError(
            f"not a blog URL: {raw!r} (expected http(s)://HOST/ or HOST)", option="blogs"
        )
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
    raise CrawlOptionError(f"{name} must be yes or no, not {value!r}", option=name)


def parse_count(name: str, value: str | int | None, *, minimum: int = 1) -> int | None:
    """Read a whole number option (``None``/empty: not given) or raise naming it."""
    if value is None or value == "":
        return None
    if isinstance(value, bool | float):  # int(True) is 1, int(1.5) is 1: neither is a count
        raise CrawlOptionError(f"{name} must be a whole number, not {value!r}", option=name)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise CrawlOptionError(
            f"{name} must be a whole number, not {value!r}", option=name
        ) from None
    if number < minimum:
        raise CrawlOptionError(f"{name} must be at least {minimum}, not {number}", option=name)
    return number


def split_blogs(value: str | Iterable[str] | None) -> list[str]:
    """Split a comma- or space-separated ``blogs`` argument (or a list of them) into items."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    return [part for item in items for part in re.split(r"[,\s]+", item) if part]


def crawl_options(
    *,
    blogs: str | Iterable[str] | None = None,
    full: str | bool | None = None,
    max_posts: str | int | None = None,
    run_id: str | int | None = None,
    include_pages: str | bool | None = None,
    trigger: str | None = None,
    comments: str | bool | None = None,
    source: str | None = None,
) -> CrawlOptions:
    """Validate crawl arguments (strings or typed) into :class:`CrawlOptions`: the one validator.

    Raises :class:`CrawlOptionError` for no blogs, a bad blog URL, a bad number or flag, or a
    ``run_id`` with more than one blog.
    """
    starts = list(dict.fromkeys(blog_start_url(raw) for raw in split_blogs(blogs)))
    if not starts:
        raise CrawlOptionError("no blog to crawl: give at least one blog URL", option="blogs")
    run = parse_count("run_id", run_id)
    if run is not None and len(starts) != 1:
        raise CrawlOptionError(
            f"run_id {run} needs exactly one blog, got {len(starts)}", option="run_id"
        )
    return CrawlOptions(
        blogs=tuple(starts),
        full=parse_flag("full", full),
        max_posts=parse_count("max_posts", max_posts),
        run_id=run,
        include_pages=parse_flag("include_pages", include_pages),
        trigger=_trigger(trigger),
        comments=True if comments is None else parse_flag("comments", comments),
        source=_source(source),
    )


class Source(StrEnum):
    """Where post records come from.

    * ``auto`` (default): from the post feed where an entry carries the whole post, the
      verification sample's pages agreeing; from the page otherwise.
    * ``feed``: the same, without the verification sample (the feed is trusted).
    * ``pages``: every post from its page, as before feed-first (the feed is an index only).
    """

    AUTO = "auto"
    FEED = "feed"
    PAGES = "pages"


SOURCES = tuple(source.value for source in Source)
"""The accepted spellings, for option help and validation."""


def parse_source(value: str | Source | None) -> Source:
    """Return the :class:`Source` ``value`` names (``None``: ``auto``).

    Raises ``ValueError`` with one line naming the bad value and the accepted ones.
    """
    if value is None:
        return Source.AUTO
    if isinstance(value, Source):
        return value
    try:
        return Source(str(value).strip().lower())
    except ValueError:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}, got {value!r}") from None


def _source(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return parse_source(value).value
    except ValueError as error:
        raise CrawlOptionError(str(error), option="source") from None


# The width of crawl_runs.trigger: PostgreSQL refuses a longer value when the run is stored.
TRIGGER_MAX_CHARS = 32


def _trigger(value: str | None) -> str:
    if value is not None and not isinstance(value, str):
        raise CrawlOptionError(f"trigger must be text, not {value!r}", option="trigger")
    trigger = (value or DEFAULT_TRIGGER).strip() or DEFAULT_TRIGGER
    if len(trigger) > TRIGGER_MAX_CHARS:
        raise CrawlOptionError(
            f"trigger must be at most {TRIGGER_MAX_CHARS} characters, not {len(trigger)}",
            option="trigger",
        )
    return trigger


def parse_crawl_arguments(arguments: Mapping[str, Any]) -> CrawlOptions:
    """Read crawl arguments by name (``scrapy crawl -a`` strings, or typed values).

    Raises :class:`UnknownCrawlOption` naming an argument no crawl takes, else as
    :func:`crawl_options`.
    """
    check_argument_names(arguments)
    return crawl_options(**arguments)


def check_argument_names(arguments: Iterable[str]) -> None:
    """Raise :class:`UnknownCrawlOption` naming the first argument no crawl takes."""
    for name in arguments:
        if name not in ARGUMENT_NAMES:
            raise UnknownCrawlOption(
                f"unknown crawl argument {name!r} (known: {', '.join(ARGUMENT_NAMES)})",
                option=name,
            )


def options_from_table(table: Mapping[str, Any], *, blogs: Iterable[str]) -> CrawlOptions:
    """Read typed options (a TOML ``options`` table, a start job's JSON) for ``blogs``.

    A flag must be a boolean (``"yes"`` is refused: in a table it is a mistake, not a
    spelling), ``None`` means not given. Raises :class:`UnknownCrawlOption` for a name that is
    not an option (``blogs`` included: the blogs come from elsewhere), else as
    :func:`crawl_options`.
    """
    for name, value in table.items():
        if name not in OPTION_NAMES:
            raise UnknownCrawlOption(
                f"unknown crawl option {name!r} (known: {', '.join(OPTION_NAMES)})", option=name
            )
        if name in FLAG_OPTIONS and value is not None and not isinstance(value, bool):
            raise CrawlOptionError(f"{name} must be true or false, not {value!r}", option=name)
    given = {name: value for name, value in table.items() if name != "no_comments"}
    if table.get("no_comments") is not None:
        given["comments"] = not table["no_comments"]
    return crawl_options(blogs=list(blogs), **given)


class _RaisingParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise CrawlOptionError(message, option="command line")


def add_crawl_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the crawl options to ``parser``: the blogs (positional) and one flag per option.

    Values are kept as given; :func:`options_from_namespace` validates them.
    """
    parser.add_argument("blogs", nargs="*", metavar="URL", help="blog home URL or host")
    _add_flags(parser)


def _add_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--run-id", metavar="N", help="fill this existing crawl-run record (one blog only)"
    )
    parser.add_argument(
        "--full", action="store_true", help="refetch every post, ignoring the last run"
    )
    parser.add_argument("--max-posts", metavar="N", help="fetch at most N post pages per blog")
    parser.add_argument(
        "--no-comments",
        action="store_true",
        help="store no comments (neither page threads nor the comments feed); counts stay",
    )
    parser.add_argument(
        "--include-pages", action="store_true", help="also fetch static pages (/p/...)"
    )
    parser.add_argument(
        "--source",
        metavar="auto|feed|pages",
        help="where posts come from: the post feed where it has the whole post, verified by a "
        "few pages (auto, default), the feed unverified (feed), or every post's page (pages)",
    )
    parser.add_argument(
        "--trigger",
        default=DEFAULT_TRIGGER,
        help="who started the crawl, stored on the run record",
    )


def options_from_namespace(
    namespace: argparse.Namespace, *, blogs: Iterable[str] | None = None
) -> CrawlOptions:
    """Validate what :func:`add_crawl_arguments` parsed (``blogs``: replaces the positional)."""
    given = {name: getattr(namespace, name, None) for name in ARGUMENT_NAMES}
    no_comments = getattr(namespace, "no_comments", None)
    given["comments"] = None if no_comments is None else not no_comments
    if blogs is not None:
        given["blogs"] = list(blogs)
    return parse_crawl_arguments(given)


def options_from_command_line(
    argv: Sequence[str], *, blogs: Iterable[str], **given: Any
) -> CrawlOptions:
    """Read the crawl flags among the words of a crawl command line, for ``blogs``.

    Other words (the command, the URL, its other options) are skipped; ``given`` (e.g. the
    scheduler's ``run_id`` and ``trigger``) replaces what the line says. A flag without its
    value is refused as :class:`CrawlOptionError`.
    """
    parser = _RaisingParser(add_help=False, allow_abbrev=False)
    _add_flags(parser)
    namespace, _others = parser.parse_known_args(list(argv))
    for name, value in given.items():
        setattr(namespace, name, value)
    return options_from_namespace(namespace, blogs=blogs)
