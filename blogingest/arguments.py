"""Argument types and the database shared by the ``blogingest`` subcommands.

Each turns a bad value into the one-line errors of :mod:`blogingest.errors`, naming the
option, so that every command refuses bad input the same way.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from blogingest.errors import CommandError, UsageError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from storage.database import Database


def positive_int(text: str) -> int:
    """Argparse type: a whole number of 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be 1 or more")
    return value


def non_negative_int(text: str) -> int:
    """Argparse type: a whole number of 0 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be 0 or more")
    return value


def blog_option(value: str | None, option: str = "--blog") -> str | None:
    """Return the canonical home URL of a ``--blog`` value (``None`` stays ``None``).

    A bare host (``name.blogspot.com``) is taken as its https home, as ``crawl`` takes it.
    """
    from crawler.crawl_options import blog_start_url
    from crawler.urls import blog_home_url

    if value is None:
        return None
    try:
        return blog_home_url(blog_start_url(value))
    except ValueError:
        raise UsageError(f"{option}: {value!r} is not an http(s) URL or host") from None


def open_command_database(explicit_url: str | None, *, check: bool = True) -> Database:
    """Return the process's database named by ``--db`` (else ``DATABASE_URL``, else data dir).

    ``storage.database.open_database`` with its refusals as the commands' one-line errors: a
    bad URL is a usage error naming ``--db``; a missing, unreachable, locked or unmigrated
    database a :class:`CommandError` naming the URL with its password hidden. The caller
    disposes the database's connections when done.
    """
    from storage.database import DatabaseConfigError, DatabaseUnavailableError, open_database

    try:
        return open_database(explicit_url, check=check)
    except DatabaseConfigError as error:
        raise UsageError(f"--db: {error}") from None
    except DatabaseUnavailableError as error:
        raise CommandError(str(error)) from None


DATABASE_HELP = "database URL (default: env DATABASE_URL, else sqlite in BLOGINGEST_DATA_DIR)"


def add_database_option(parser: argparse.ArgumentParser, *, default: Any = None) -> None:
    """Add ``--db URL``, the database every command opens (read by :func:`open_command_database`).

    ``default`` is the value when ``--db`` is not given (``argparse.SUPPRESS``: a subcommand's
    copy that must not overwrite the parent's).
    """
    parser.add_argument("--db", metavar="URL", default=default, help=DATABASE_HELP)


def add_scrapy_settings_option(parser: argparse.ArgumentParser, example: str) -> None:
    """Add ``-s/--set NAME=VALUE`` (repeatable), read by :func:`project_scrapy_settings`."""
    parser.add_argument(
        "--set",
        "-s",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=f"override a Scrapy setting (e.g. -s {example})",
    )


def crawler_process(settings: Settings) -> CrawlerProcess:
    """Return the ``CrawlerProcess`` of a command's crawl, logging at its ``LOG_LEVEL``.

    The CLI already configured logging, so Scrapy's root handler stays off (every line would
    print twice) and the CLI's handlers filter at the crawl's level. Scrapy's own logging
    set-up (run when the process is built) gives its ``scrapy`` logger level DEBUG, which the
    root level does not filter: the handlers dropped those records, but every response and
    item first built one, caller looked up (a few per cent of a feed-first crawl's time). The
    logger gets the crawl's level instead; what is printed is the same.
    """
    import logging

    from scrapy.crawler import CrawlerProcess

    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    level = logging.getLevelName(settings.get("LOG_LEVEL"))
    logging.getLogger().setLevel(level)
    for handler in logging.getLogger().handlers:
        handler.setLevel(level)
    process = CrawlerProcess(settings)
    logging.getLogger("scrapy").setLevel(level)
    return process


def project_scrapy_settings(
    overrides: Sequence[str], *, mode: Mapping[str, Any] | None = None
) -> Settings:
    """Return the project's Scrapy settings with a mode's settings and the user's overrides.

    Order: the project's settings, then ``mode`` (e.g. the Redis frontier's), then the
    ``NAME=VALUE`` overrides, the last two at cmdline priority, so the user has the last word.
    A malformed override, or a value that cannot be read as the type of the setting it
    replaces (``CONCURRENT_REQUESTS=abc``), is a usage error naming it.
    """
    from scrapy.settings import Settings

    settings = Settings()
    try:
        settings.setmodule("crawler.settings", priority="project")
    except ValueError as error:  # a BLOGINGEST_* environment value it cannot read
        raise UsageError(str(error)) from None
    if mode:
        settings.setdict(dict(mode), priority="cmdline")
    for item in overrides:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--set needs NAME=VALUE, not {item!r}")
        _check_setting_type(name.strip(), value, settings.get(name.strip()))
        settings.set(name.strip(), value, priority="cmdline")
    return settings


_BOOLEANS = frozenset({"0", "1", "true", "false"})  # what Scrapy's getbool reads


def _check_setting_type(name: str, value: str, current: Any) -> None:
    # Scrapy would read a bad value only when a component asks for it, as a traceback.
    if isinstance(current, bool):
        if value.strip().lower() not in _BOOLEANS:
            raise UsageError(f"--set {name}: {value!r} is not a boolean (use 1/0 or true/false)")
        return
    if isinstance(current, int | float):
        # Any number: Scrapy reads some int-valued defaults as floats (DOWNLOAD_TIMEOUT = 180).
        try:
            float(value)
        except ValueError:
            raise UsageError(f"--set {name}: {value!r} is not a number") from None
