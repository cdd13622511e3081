"""Check configured crawl options against ``blogingest crawl``'s own argument parser.

A typo in ``options`` (``max_post`` for ``max_posts``) would otherwise surface only when the
crawl starts, as a failed run every interval; checked here, the worker refuses it at start
with the key named. Only done when the crawl command is the default one: a custom
``crawl_command`` has options this module cannot know.
"""

from __future__ import annotations

import argparse
from typing import NoReturn

from crawler.crawl_options import CrawlOptionError, crawl_options
from scheduler.config import ConfigError, ScheduleConfig, default_crawl_command
from scheduler.jobs import option_arguments


class _RaisingParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise ValueError(message)


def check_crawl_options(config: ScheduleConfig) -> None:
    """Raise :class:`ConfigError` naming the first option ``blogingest crawl`` rejects."""
    if config.worker.crawl_command != default_crawl_command():
        return
    from blogingest.commands import crawl

    parser = _RaisingParser(prog="blogingest crawl", add_help=False, allow_abbrev=False)
    crawl.configure(parser)
    for number, blog in enumerate(config.blogs, 1):
        for name, value in blog.options.items():
            arguments = [blog.url, *option_arguments({name: value})]
            where = f"blog[{number}].options.{name}"
            try:
                parsed, unknown = parser.parse_known_args(arguments)
                _check_values(parsed)
            except (ValueError, CrawlOptionError) as error:
                raise ConfigError(f"{where}: the crawl refuses it ({error})") from None
            if unknown and unknown[0].startswith("--"):
                raise ConfigError(f"{where}: blogingest crawl has no {unknown[0]} option")
            if unknown:
                raise ConfigError(f"{where}: {value!r} is refused: this option is a flag, use true")


def _check_values(parsed: argparse.Namespace) -> None:
    # The crawl's own validation of values (a count that is a number >= 1, a flag), which
    # its argument parser leaves to it; raises CrawlOptionError as the crawl would.
    crawl_options(
        blogs=parsed.blogs,
        full=parsed.full,
        max_posts=parsed.max_posts,
        include_pages=parsed.include_pages,
    )
