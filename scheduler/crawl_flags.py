"""A scheduled blog's ``options``, read by the crawl's own validator when the crawl is ours.

With the default ``crawl_command`` (``blogingest crawl``) a blog's options are the crawl's:
its crawl options (``full``, ``max_posts``, ``include_pages``) become the
:class:`~crawler.crawl_options.CrawlOptions` the crawl is started with, validated by
:func:`~crawler.crawl_options.options_from_table`, so a typo (``max_post``) or a bad value is
refused when the schedule is read, naming the key, instead of failing every run. The crawl
command's own options (:data:`COMMAND_OPTIONS`) are passed on as written. A custom
``crawl_command`` has options this module cannot know: they are all passed on as written.

Nothing here imports the command line (``blogingest``): the crawl options live in
``crawler.crawl_options``, below both.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crawler.crawl_options import (
    OPTION_NAMES,
    CrawlOptionError,
    CrawlOptions,
    UnknownCrawlOption,
    options_from_table,
)

COMMAND_OPTIONS: Mapping[str, str] = {
    "set": "a NAME=VALUE Scrapy setting or a list of them",
    "offline": "true or false",
    "seeds_dir": "a directory",
}
"""Options of ``blogingest crawl`` itself (not of the crawl): name → what its value must be."""


def read_crawl_options(url: str, options: Mapping[str, Any]) -> tuple[CrawlOptions, dict[str, Any]]:
    """Split ``options`` into the crawl's options of ``url`` and the command's own options.

    Raises :class:`~crawler.crawl_options.CrawlOptionError` whose ``option`` names the refused
    key (``blogs`` for the URL); :class:`~crawler.crawl_options.UnknownCrawlOption` for a key
    ``blogingest crawl`` does not take.
    """
    crawl = {name: value for name, value in options.items() if name in OPTION_NAMES}
    command = {name: value for name, value in options.items() if name not in OPTION_NAMES}
    for name, value in command.items():
        if name not in COMMAND_OPTIONS:
            raise UnknownCrawlOption(f"blogingest crawl has no {name!r} option", option=name)
        if not _command_value_ok(name, value):
            raise CrawlOptionError(
                f"{name} must be {COMMAND_OPTIONS[name]}, not {value!r}", option=name
            )
    return options_from_table(crawl, blogs=[url]), command


def _command_value_ok(name: str, value: Any) -> bool:
    if name == "offline":
        return isinstance(value, bool)
    if name == "set" and isinstance(value, tuple):
        return all(isinstance(element, str) for element in value)
    return isinstance(value, str)
