"""``blogingest runs``: the crawl run history as a table."""

from __future__ import annotations

import argparse

NAME = "runs"
HELP = "show recent crawl runs (scheduled and manual) as a table"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--blog", metavar="URL", help="only runs of this blog (any URL of it)")
    parser.add_argument(
        "--last", metavar="N", type=_positive_int, default=20, help="how many runs (default 20)"
    )
    parser.add_argument("--db", metavar="URL", help="database URL (default: env DATABASE_URL)")


def run(args: argparse.Namespace) -> int:
    from blogingest.errors import CommandError, UsageError
    from crawler.urls import blog_home_url
    from scheduler.database import open_database
    from scheduler.run_table import format_runs
    from storage.database import DatabaseConfigError, DatabaseUnavailableError
    from storage.runs import list_runs

    blog = None
    if args.blog is not None:
        try:
            blog = blog_home_url(args.blog)
        except ValueError:
            raise UsageError(f"--blog: {args.blog!r} is not an http(s) URL") from None
    try:
        database = open_database(args.db)
    except DatabaseConfigError as error:
        raise UsageError(f"--db: {error}") from None
    except DatabaseUnavailableError as error:
        raise CommandError(str(error)) from None
    try:
        with database.factory() as session:
            runs = list_runs(session, blog_url=blog, last=args.last)
        print(format_runs(runs))
    finally:
        database.close()
    return 0


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be 1 or more")
    return value
