"""``blogingest crawl``: crawl Blogger blogs (or ``seeds/`` offline) into the database.

Runs Scrapy in this process (``CrawlerProcess`` with the project settings). Arguments are
checked and the database is checked before the first request: a bad blog URL or option ends
with exit code 2, an unusable database with exit code 1, each as one line. While it runs a
progress line goes to stderr every few seconds; at the end one summary per blog. Exit code 0
when every blog's run succeeded, 1 otherwise (the scheduler reads it).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from blogingest.arguments import (
    add_database_option,
    add_scrapy_settings_option,
    crawler_process,
    project_scrapy_settings,
)
from crawler.crawl_options import add_crawl_arguments

if TYPE_CHECKING:
    from crawler.crawl_options import CrawlOptions

NAME = "crawl"
HELP = "crawl Blogger blogs (or the offline seeds/) into the database"


def configure(parser: argparse.ArgumentParser) -> None:
    add_crawl_arguments(parser)
    add_database_option(parser)
    parser.add_argument(
        "--offline", action="store_true", help="crawl the blogs saved under the seeds directory"
    )
    parser.add_argument(
        "--seeds-dir", metavar="DIR", help="seeds directory for --offline (default: seeds/)"
    )
    parser.add_argument(
        "--list",
        action="store_true",
        help="dry run: print the posts a crawl would fetch (discovery only), store nothing",
    )
    add_scrapy_settings_option(parser, "AUTOTHROTTLE_ENABLED=0")


def run(args: argparse.Namespace) -> int:
    from blogingest.errors import UsageError
    from crawler.crawl_options import CrawlOptionError
    from crawler.crawl_process import crawl_start_up

    with crawl_start_up():
        try:
            settings, spider_class, options = _prepare(args)
        except CrawlOptionError as error:
            raise UsageError(str(error)) from None
        process, crawler = _process(settings, spider_class, options)
    return _crawl(process, crawler)


def _prepare(args: argparse.Namespace) -> tuple[Any, type[Any], CrawlOptions]:
    """Validate everything and build the settings; raises before any request is made."""
    from pathlib import Path

    from crawler.crawl_options import CrawlOptionError, options_from_namespace
    from crawler.spiders.blogger import BloggerSpider
    from crawler.spiders.seeds import SeedsSpider, seed_blogs

    settings = project_scrapy_settings(args.set)
    blogs = list(args.blogs)
    if args.offline:
        seeds_dir = Path(args.seeds_dir or settings.get("SEEDS_DIR"))
        settings.set("SEEDS_DIR", str(seeds_dir), priority="cmdline")
        blogs = blogs or seed_blogs(seeds_dir)
        if not blogs:
            raise CrawlOptionError(
                f"no blogs under seeds directory {str(seeds_dir)!r}", option="blogs"
            )
    options = options_from_namespace(args, blogs=blogs)
    if args.list and options.run_id is not None:
        raise CrawlOptionError(
            "--list is a dry run: it fills no run record (drop --run-id)", option="run_id"
        )
    settings.set("DATABASE_URL", _checked_database(args.db, options.run_id), priority="cmdline")
    if args.list:
        settings.set("BLOGINGEST_DRY_RUN", True, priority="cmdline")
        settings.set("PROGRESS_INTERVAL", 0, priority="cmdline")
    verbosity = int(getattr(args, "verbose", 0) or 0) - int(getattr(args, "quiet", 0) or 0)
    settings.set("PROGRESS_TO_STDERR", True, priority="cmdline")
    if verbosity < 0:
        settings.set("PROGRESS_INTERVAL", 0, priority="cmdline")  # -q: results only
    if "LOG_LEVEL" not in {item.partition("=")[0].strip() for item in args.set}:
        settings.set("LOG_LEVEL", _log_level(verbosity), priority="cmdline")
    return settings, SeedsSpider if args.offline else BloggerSpider, options


def _log_level(verbosity: int) -> str:
    """-q: ERROR; none: WARNING; -v: INFO; -vv: DEBUG."""
    return ("ERROR", "WARNING", "INFO", "DEBUG")[min(max(verbosity, -1), 2) + 1]


def _checked_database(explicit: str | None, run_id: int | None) -> str:
    """Return the resolved database URL once the database passed its check (and holds ``run_id``).

    The crawl's components open the same checked database (``crawler.extensions.database``).
    """
    from blogingest.arguments import open_command_database
    from blogingest.errors import UsageError
    from storage import runs

    database = open_command_database(explicit)
    if run_id is not None:
        with database.sessions() as session:
            if runs.get_run(session, run_id) is None:
                database.dispose()
                raise UsageError(f"--run-id {run_id}: no such crawl run in {database.redacted_url}")
    return database.url


def _process(settings: Any, spider_class: type[Any], options: CrawlOptions) -> tuple[Any, Any]:
    """Return the crawl's ``CrawlerProcess`` and its crawler, built and ready to start."""
    process = crawler_process(settings)
    crawler = process.create_crawler(spider_class)
    process.crawl(crawler, options=options)  # validated once, above: passed on as they are
    return process, crawler


def _crawl(process: Any, crawler: Any) -> int:
    """Run the built crawl to its end; return the command's exit code."""
    from crawler.extensions.database import crawl_database
    from crawler.extensions.run_record import RunLedger
    from crawler.pipelines.forced_stop import keep_after_forced_stop

    process.start()
    keep_after_forced_stop(crawler)  # a second Ctrl-C skipped the close: keep what is in hand
    crawl_database(crawler).dispose()
    if crawler.stats.get_value("finish_reason") == "shutdown":
        # Scrapy turned SIGINT/SIGTERM into a clean stop (runs recorded as interrupted); the
        # exit code says it was interrupted, as for any command stopped by Ctrl-C.
        from blogingest.errors import EXIT_INTERRUPTED

        return EXIT_INTERRUPTED
    return RunLedger.for_crawler(crawler).exit_code()
