"""The schedule config: a TOML file read with :mod:`tomllib` and validated up front.

Every problem is reported as :class:`ConfigError` whose message starts with the dotted key
(``blog[2].interval: "6 hourz" is not a duration like 30s, 15m, 6h, 1d``). Blogs are numbered
from 1 in the order they appear in the file. Unknown keys are refused, so a typo never
silently falls back to a default.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from crawler.crawl_options import CrawlOptionError, CrawlOptions, UnknownCrawlOption
from crawler.urls import blog_home_url
from scheduler.crawl_flags import read_crawl_options
from scheduler.cron import crontab_trigger
from scheduler.durations import parse_duration

OptionValue = str | int | float | bool | tuple[str | int | float, ...]

_TRIGGER_KEYS = frozenset({"interval", "cron"})
_SHARED_KEYS = _TRIGGER_KEYS | {"timeout", "jitter", "misfire_grace", "backoff", "options"}
_BLOG_KEYS = _SHARED_KEYS | {"url"}
_WORKER_KEYS = frozenset({"shutdown_grace", "kill_grace", "crawl_command", "max_concurrent"})
_TOP_KEYS = frozenset({"defaults", "blog", "worker"})
_BACKOFF_KEYS = frozenset({"initial", "max"})
_OPTION_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# The scheduler passes these itself; letting a config set them would break run bookkeeping.
_RESERVED_OPTIONS = frozenset({"db", "run_id", "trigger"})
# Far beyond any sensible schedule, and well inside what a trigger can add to today's date.
_LONGEST = timedelta(days=366)

_BUILTIN_DEFAULTS: dict[str, Any] = {
    "timeout": "2h",
    "jitter": "0s",
    "misfire_grace": "1h",
    "backoff": {"initial": "10m", "max": "12h"},
}


class ConfigError(ValueError):
    """A bad schedule config; ``str(error)`` is one line naming the key and the value."""


@dataclass(frozen=True)
class Backoff:
    """Delay added after failures: ``initial * 2**(failures - 1)``, never more than ``max``."""

    initial: timedelta
    max: timedelta


@dataclass(frozen=True)
class BlogSchedule:
    """One blog's schedule. Exactly one of ``interval`` and ``cron`` is set.

    ``url`` is the URL as written (a custom crawl command is given it unchanged);
    ``home_url`` is its canonical blog home (``https://host/``), the blog's identity for job
    ids and run rows. ``cron`` is a five-field crontab expression evaluated in UTC.
    ``crawl`` is what the default crawl command is started with (its blog and crawl options,
    validated), ``None`` for a custom one; ``options`` are the options passed on as written
    (all of them for a custom command, the command's own ones for the default).
    """

    url: str
    home_url: str
    interval: timedelta | None
    cron: str | None
    timeout: timedelta
    jitter: timedelta
    misfire_grace: timedelta
    backoff: Backoff
    options: Mapping[str, OptionValue] = field(default_factory=dict)
    crawl: CrawlOptions | None = None


def default_crawl_command() -> tuple[str, ...]:
    """Return the crawl command without its URL: this interpreter running ``blogingest crawl``."""
    return (sys.executable, "-m", "blogingest", "crawl")


@dataclass(frozen=True)
class WorkerSettings:
    """Process-wide settings.

    ``shutdown_grace``: how long a running crawl may go on after the worker is told to stop;
    ``kill_grace``: how long a crawl has between SIGTERM and SIGKILL (on timeout or shutdown);
    ``crawl_command``: the argument list the blog URL and options are appended to;
    ``max_concurrent``: how many crawls may run at once (more due crawls wait their turn).
    """

    shutdown_grace: timedelta = timedelta(seconds=30)
    kill_grace: timedelta = timedelta(seconds=30)
    crawl_command: tuple[str, ...] = field(default_factory=default_crawl_command)
    max_concurrent: int = 4


@dataclass(frozen=True)
class ScheduleConfig:
    """A validated schedule: the blogs in file order (no two with the same home URL)."""

    blogs: tuple[BlogSchedule, ...]
    worker: WorkerSettings = field(default_factory=WorkerSettings)


def load_config(path: Path) -> ScheduleConfig:
    """Read and validate the TOML schedule at ``path``; raises :class:`ConfigError`."""
    try:
        with path.open("rb") as stream:
            document = tomllib.load(stream)
    except OSError as error:
        raise ConfigError(f"cannot read config {str(path)!r}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    except UnicodeDecodeError as error:  # tomllib decodes the bytes as UTF-8 first
        raise ConfigError(
            f"{path}: not UTF-8 text (byte {error.start}); save the schedule as UTF-8"
        ) from None
    return parse_config(document)


def parse_config(document: Mapping[str, Any]) -> ScheduleConfig:
    """Validate an already-parsed TOML document; raises :class:`ConfigError`."""
    _refuse_unknown(document, _TOP_KEYS, "")
    defaults = _table(document, "defaults", "defaults")
    _refuse_unknown(defaults, _SHARED_KEYS, "defaults")
    _refuse_both_triggers(defaults, "defaults")
    blogs_raw = document.get("blog", [])
    if not isinstance(blogs_raw, list) or not all(isinstance(b, dict) for b in blogs_raw):
        raise ConfigError("blog: must be an array of tables ([[blog]] sections)")
    if not blogs_raw:
        raise ConfigError("blog: no blogs configured (add a [[blog]] section with a url)")
    worker = _parse_worker(_table(document, "worker", "worker"))
    ours = worker.crawl_command == default_crawl_command()
    blogs = tuple(
        _parse_blog(raw, defaults, f"blog[{n}]", ours=ours) for n, raw in enumerate(blogs_raw, 1)
    )
    _refuse_duplicates(blogs)
    return ScheduleConfig(blogs=blogs, worker=worker)


def _parse_blog(
    raw: Mapping[str, Any], defaults: Mapping[str, Any], where: str, *, ours: bool
) -> BlogSchedule:
    """Read one ``[[blog]]``; ``ours``: the crawl command is ours, so its options are checked."""
    _refuse_unknown(raw, _BLOG_KEYS, where)
    _refuse_both_triggers(raw, where)
    url, home_url = _parse_url(raw.get("url"), f"{where}.url")
    own_trigger = bool(_TRIGGER_KEYS & raw.keys())
    trigger_source, trigger_where = (raw, where) if own_trigger else (defaults, "defaults")
    if not _TRIGGER_KEYS & trigger_source.keys():
        raise ConfigError(f"{where}: no interval or cron (set one here or in [defaults])")

    def setting(key: str) -> tuple[Any, str]:
        for source, prefix in ((raw, where), (defaults, "defaults")):
            if key in source:
                return source[key], f"{prefix}.{key}"
        return _BUILTIN_DEFAULTS[key], f"{where}.{key}"

    interval = trigger_source.get("interval")
    cron = trigger_source.get("cron")
    options: Mapping[str, OptionValue] = _parse_options(raw, defaults, where)
    crawl = None
    if ours:
        crawl, options = _crawl_options(url, options, where)
    return BlogSchedule(
        url=url,
        home_url=home_url,
        interval=_positive(interval, f"{trigger_where}.interval") if interval is not None else None,
        cron=_cron(cron, f"{trigger_where}.cron") if cron is not None else None,
        timeout=_positive(*setting("timeout")),
        jitter=_whole_seconds(*setting("jitter")),
        misfire_grace=_whole_seconds(*setting("misfire_grace"), positive=True),
        backoff=_parse_backoff(raw, defaults, where),
        options=options,
        crawl=crawl,
    )


def _crawl_options(
    url: str, options: Mapping[str, OptionValue], where: str
) -> tuple[CrawlOptions, dict[str, OptionValue]]:
    """Read a blog's options as ``blogingest crawl`` would; a refusal names the key."""
    try:
        return read_crawl_options(url, options)
    except UnknownCrawlOption as error:
        flag = "--" + error.option.replace("_", "-")
        message = f"{where}.options.{error.option}: blogingest crawl has no {flag} option"
        raise ConfigError(message) from None
    except CrawlOptionError as error:
        key = "url" if error.option == "blogs" else f"options.{error.option}"
        raise ConfigError(f"{where}.{key}: the crawl refuses it ({error})") from None


def _parse_backoff(raw: Mapping[str, Any], defaults: Mapping[str, Any], where: str) -> Backoff:
    merged: dict[str, tuple[Any, str]] = {
        key: (value, f"backoff.{key}") for key, value in _BUILTIN_DEFAULTS["backoff"].items()
    }
    for source, prefix in ((defaults, "defaults"), (raw, where)):
        table = _table(source, "backoff", f"{prefix}.backoff")
        _refuse_unknown(table, _BACKOFF_KEYS, f"{prefix}.backoff")
        merged.update({key: (value, f"{prefix}.backoff.{key}") for key, value in table.items()})
    initial = _positive(*merged["initial"])
    longest = _positive(*merged["max"])
    if longest < initial:
        raise ConfigError(f"{merged['max'][1]}: must not be shorter than backoff.initial")
    return Backoff(initial=initial, max=longest)


def _parse_options(
    raw: Mapping[str, Any], defaults: Mapping[str, Any], where: str
) -> dict[str, OptionValue]:
    options: dict[str, OptionValue] = {}
    for source, prefix in ((defaults, "defaults"), (raw, where)):
        table = _table(source, "options", f"{prefix}.options")
        for name, value in table.items():
            options[name] = _option(name, value, f"{prefix}.options.{name}")
    return options


def _option(name: str, value: Any, where: str) -> OptionValue:
    if not _OPTION_NAME.match(name):
        raise ConfigError(f"{where}: option names are lower_snake_case words")
    if name in _RESERVED_OPTIONS:
        raise ConfigError(f"{where}: set by the scheduler itself, not configurable")
    if isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list) and all(
        isinstance(v, str | int | float) and not isinstance(v, bool) for v in value
    ):
        return tuple(value)
    raise ConfigError(f"{where}: {value!r} is not a string, number, boolean or list of those")


def _parse_worker(raw: Mapping[str, Any]) -> WorkerSettings:
    _refuse_unknown(raw, _WORKER_KEYS, "worker")
    settings = WorkerSettings()
    command = raw.get("crawl_command", list(settings.crawl_command))
    valid = isinstance(command, list) and command and all(isinstance(a, str) for a in command)
    if not valid:
        raise ConfigError(f"worker.crawl_command: {command!r} is not a non-empty list of strings")
    concurrent = raw.get("max_concurrent", settings.max_concurrent)
    if isinstance(concurrent, bool) or not isinstance(concurrent, int) or concurrent < 1:
        raise ConfigError(f"worker.max_concurrent: {concurrent!r} is not a whole number >= 1")
    return WorkerSettings(
        shutdown_grace=_duration(raw.get("shutdown_grace", "30s"), "worker.shutdown_grace"),
        kill_grace=_duration(raw.get("kill_grace", "30s"), "worker.kill_grace"),
        crawl_command=tuple(command),
        max_concurrent=concurrent,
    )


def _parse_url(value: Any, where: str) -> tuple[str, str]:
    if value is None:
        raise ConfigError(f"{where}: missing (every [[blog]] needs a url)")
    if not isinstance(value, str):
        raise ConfigError(f"{where}: {value!r} is not a string")
    try:
        return value.strip(), blog_home_url(value)
    except ValueError:
        raise ConfigError(f"{where}: {value!r} is not an http(s) URL with a host") from None


def _duration(value: Any, where: str) -> timedelta:
    if not isinstance(value, str):
        raise ConfigError(f"{where}: {value!r} is not a duration string like 30s, 15m, 6h, 1d")
    try:
        length = parse_duration(value)
    except ValueError as error:
        raise ConfigError(f"{where}: {error}") from None
    if length > _LONGEST:
        raise ConfigError(f"{where}: {value!r} is longer than the longest allowed, 366d")
    return length


def _whole_seconds(value: Any, where: str, *, positive: bool = False) -> timedelta:
    # APScheduler 3 counts misfire grace and jitter in whole seconds; 0.5s would become 0.
    length = _positive(value, where) if positive else _duration(value, where)
    if length.total_seconds() != int(length.total_seconds()):
        raise ConfigError(f"{where}: {length.total_seconds()}s must be a whole number of seconds")
    return length


def _positive(value: Any, where: str) -> timedelta:
    length = _duration(value, where)
    if length <= timedelta(0):
        raise ConfigError(f"{where}: {value!r} must be longer than zero")
    return length


def _cron(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f'{where}: {value!r} is not a crontab string like "0 */6 * * *"')
    try:
        crontab_trigger(value)
    except ValueError as error:
        message = f"{where}: {value!r} is not a valid crontab line ({error})"
        raise ConfigError(message) from None
    return value


def _table(source: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = source.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: must be a table, not {value!r}")
    return value


def _refuse_unknown(table: Mapping[str, Any], known: frozenset[str], where: str) -> None:
    for key in table:
        if key not in known:
            name = f"{where}.{key}" if where else key
            raise ConfigError(f"{name}: unknown key (known keys: {', '.join(sorted(known))})")


def _refuse_both_triggers(table: Mapping[str, Any], where: str) -> None:
    if table.keys() >= _TRIGGER_KEYS:
        raise ConfigError(f"{where}: set interval or cron, not both")


def _refuse_duplicates(blogs: tuple[BlogSchedule, ...]) -> None:
    seen: dict[str, int] = {}
    for number, blog in enumerate(blogs, 1):
        if blog.home_url in seen:
            raise ConfigError(
                f"blog[{number}].url: {blog.url!r} is the same blog as blog[{seen[blog.home_url]}]"
            )
        seen[blog.home_url] = number
