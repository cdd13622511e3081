"""``blogingest runs``: the crawl run history as a table."""

from __future__ import annotations

import argparse

from blogingest.arguments import blog_option, open_database_engine, positive_int

NAME = "runs"
HELP = "show recent crawl runs (scheduled and manual) as a table"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--blog", metavar="URL", help="only runs of this blog (any URL of it)")
    parser.add_argument(
        "--last", metavar="N", type=positive_int, default=20, help="how many runs (default 20)"
    )
    parser.add_argument("--db", metavar="URL", help="database URL (default: env DATABASE_URL)")


def run(args: argparse.Namespace) -> int:
    from sqlalchemy.orm import Session

    from blogingest.run_sweep import close_dead_runs
    from scheduler.run_table import format_runs
    from storage.runs import list_runs

    blog = blog_option(args.blog)
    engine = open_database_engine(args.db)
    try:
        close_dead_runs(engine)  # a killed crawl's run shows as interrupted, not running
        with Session(engine) as session:
            runs = list_runs(session, blog_url=blog, last=args.last)
        print(format_runs(runs))
    finally:
        engine.dispose()
    return 0
