"""``blogingest runs``: the crawl run history as a table; ``runs show ID``: one run in full.

The table puts each run's first error on the line below its row. ``--json`` prints the same
runs (or the one run) as JSON for scripts, with every error.
"""

from __future__ import annotations

import argparse
import json

from blogingest.arguments import (
    add_database_option,
    blog_option,
    open_command_database,
    positive_int,
)

NAME = "runs"
HELP = "show recent crawl runs (scheduled and manual) with their first error; show ID: one run"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--blog", metavar="URL", help="only runs of this blog (any URL of it)")
    parser.add_argument(
        "--last", metavar="N", type=positive_int, default=20, help="how many runs (default 20)"
    )
    _common(parser)
    actions = parser.add_subparsers(dest="runs_action", metavar="ACTION")
    show = actions.add_parser("show", help="one run's whole record: counts and every error")
    show.add_argument("run_id", metavar="ID", type=positive_int, help="the run's id")
    _common(show, suppress=True)


def _common(parser: argparse.ArgumentParser, *, suppress: bool = False) -> None:
    # The `show` copies default to SUPPRESS so that `runs --json show 3` keeps its --json.
    parser.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="print JSON for scripts",
    )
    add_database_option(parser, default=argparse.SUPPRESS if suppress else None)


def run(args: argparse.Namespace) -> int:
    from sqlalchemy.orm import Session

    from blogingest.errors import CommandError
    from blogingest.run_sweep import close_dead_runs
    from scheduler.run_table import format_run, format_runs, run_json
    from storage.models import CrawlRun
    from storage.runs import list_runs

    blog = blog_option(args.blog)
    database = open_command_database(args.db)
    try:
        close_dead_runs(database)  # a killed crawl's run shows as interrupted, not running
        with Session(database.engine) as session:
            if args.runs_action == "show":
                record = session.get(CrawlRun, args.run_id)
                if record is None:
                    raise CommandError(f"no crawl run with id {args.run_id}")
                print(json.dumps(run_json(record), indent=2) if args.json else format_run(record))
                return 0
            runs = list_runs(session, blog_url=blog, last=args.last)
            if args.json:
                print(json.dumps([run_json(r) for r in runs], ensure_ascii=False, indent=2))
            else:
                print(format_runs(runs))
    finally:
        database.dispose()
    return 0
